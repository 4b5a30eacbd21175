// The writer: writeUsers' real path (decode, validate, upsert with executeConcurrent, summarise) on
// batches of 100, 1,000 and 10,000 records, against raw cassandra-driver inserts of the same rows with
// the same concurrency on the same client, alternated round by round.
import type { Client } from 'cassandra-driver';
import { INSERT_CREATED_USER } from '../functions/lib/cassandra/created-users-table';
import { writeUsers } from '../functions/lib/cassandra/write-users';
import { CREATED_USER_FIELDS, type CreatedUser } from '../functions/lib/users/created-user';
import { writeUserBatch } from '../functions/lib/pipeline/write-user-batch';
import { benchUsers, eventOf } from './bench-users';
import { interleaved, median, perSecond, type Spread } from './stats';

/** writeUsers' default (CASSANDRA_WRITE_CONCURRENCY), used by both paths. */
export const CONCURRENCY = 32;
export const WRITER_BATCHES = [100, 1000, 10_000] as const;

export interface WriterFigures {
  records: number;
  handlerPerSec: number;
  rawDriverPerSec: number;
  ratio: Spread;
}

/** The same inserts without the pipeline: the prepared statement, CONCURRENCY in flight. */
export async function rawInserts(client: Client, rows: CreatedUser[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const user = rows[next++];
      await client.execute(INSERT_CREATED_USER, CREATED_USER_FIELDS.map((f) => user[f]), { prepare: true });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

// One log line and four metrics per batch, not per row: their cost is left out of both paths.
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const meter = { count: () => undefined, milliseconds: () => undefined };

export async function benchWriter(client: Client, rounds: number, log: (line: string) => void): Promise<WriterFigures[]> {
  const figures: WriterFigures[] = [];
  for (const size of WRITER_BATCHES) {
    const users = benchUsers(size);
    const event = eventOf(users);
    const handler = async () => {
      const response = await writeUserBatch(event, { writeRows: (rows) => writeUsers(client, rows, CONCURRENCY), deadLetter: async () => undefined, logger: quiet, meter });
      if (response.batchItemFailures.length > 0) throw new Error(`${response.batchItemFailures.length} rows failed`);
    };
    const result = await interleaved(size >= 10_000 ? rounds : rounds * 2, handler, () => rawInserts(client, users));
    figures.push({
      records: size,
      handlerPerSec: perSecond(size, median(result.candidateMs)),
      rawDriverPerSec: perSecond(size, median(result.baselineMs)),
      ratio: result.ratio,
    });
    log(`writer ${size}: handler ${figures.at(-1)!.handlerPerSec}/s, raw ${figures.at(-1)!.rawDriverPerSec}/s, ratio ${result.ratio.median.toFixed(2)}`);
  }
  return figures;
}
