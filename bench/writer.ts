// The writer: writeUsers' real path (decode, validate, upsert with its worker loop, summarise) on
// batches of 100, 1,000 and 10,000 records, against raw cassandra-driver requests of the same rows
// with the same concurrency on the same client, alternated round by round.
import type { Client } from 'cassandra-driver';
import { upsertUsers } from '../functions/write-users/upsert-users';
import { recordsOf, type LambdaKafkaEvent } from '../contract/lambda-kafka-event';
import { decodeJsonValue } from '../functions/write-users/decode-record';
import { parseCreatedUser, type CreatedUser } from '../functions/shared/created-user';
import { writeUserBatch } from '../functions/write-users/write-user-batch';
import { benchUsers, eventOf } from './bench-users';
import { measureCpu, type CoresBusy } from './process-cpu';
import { SIZES } from './sizes';
import { interleaved, median, perSecond, timeMs, type Spread } from './stats';

/** writeUsers' default (CASSANDRA_WRITE_CONCURRENCY), used by both paths. */
export const CONCURRENCY = 32;
const WRITER_BATCHES = SIZES.writerBatches;

export interface WriterFigures {
  records: number;
  handlerPerSec: number;
  rawDriverPerSec: number;
  ratio: Spread;
  /** Decoding and validating the batch alone (no writes), median ms: the part the raw driver skips. */
  decodeMs: number;
  /**
   * Node CPU per row of each path with a client that answers every write at once (no Cassandra): what
   * the handler's path costs beyond the driver's loop, which on a machine whose cores are all busy
   * comes out of Cassandra's share.
   */
  nodeMicrosPerRow: { handler: number; rawDriver: number };
  /** Cores busy while each path ran (medians): this Node process and the Cassandra node. */
  handlerCores: { node: number; cassandra: number };
  rawDriverCores: { node: number; cassandra: number };
}

/** Wraps work so that each run's busy cores (this process, Cassandra) are kept. */
function measured(work: () => Promise<unknown>, samples: CoresBusy[], cassandraPid: number | undefined): () => Promise<void> {
  return async () => {
    const done = measureCpu({ node: process.pid, cassandra: cassandraPid });
    await work();
    samples.push(done());
  };
}

const medianOf = (samples: CoresBusy[], name: string) => Math.round(median(samples.map((sample) => sample[name] ?? 0)) * 100) / 100;

function decodeOnly(event: LambdaKafkaEvent): number {
  const started = process.hrtime.bigint();
  for (const record of recordsOf(event)) parseCreatedUser(decodeJsonValue(record));
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * The same requests without the pipeline: writeUsers' own upsert loop (its batches of the prepared
 * statement, CONCURRENCY in flight) on rows already decoded; fails on any row not written.
 */
export async function rawInserts(client: Client, rows: CreatedUser[]): Promise<void> {
  const failed = (await upsertUsers(client, rows, CONCURRENCY)).filter((outcome) => outcome !== undefined);
  if (failed.length > 0) throw new Error(`${failed.length} of ${rows.length} raw inserts failed, the first: ${failed[0]!.message}`);
}

// One log line and four metrics per batch, not per row: their cost is left out of both paths.
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const meter = { count: () => undefined, milliseconds: () => undefined };

/** writeUsers' path on one batch (no dead-letter topic: the bench's rows are all valid); fails on any failed row. */
async function handlerPath(client: Client, event: LambdaKafkaEvent): Promise<void> {
  const response = await writeUserBatch(event, {
    writeRows: (rows) => upsertUsers(client, rows, CONCURRENCY),
    deadLetter: async () => undefined,
    logger: quiet,
    meter,
  });
  if (response.batchItemFailures.length > 0) throw new Error(`${response.batchItemFailures.length} rows failed`);
}

const instantClient = { batch: () => Promise.resolve({ rows: [] }) } as unknown as Client;

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Median Node CPU per row of each path over seven runs against the instant client. */
async function nodeMicrosPerRow(event: LambdaKafkaEvent, users: CreatedUser[]): Promise<{ handler: number; rawDriver: number }> {
  const handler: number[] = [];
  const raw: number[] = [];
  for (let run = 0; run < 7; run++) {
    let started = cpuMicros();
    await handlerPath(instantClient, event);
    handler.push((cpuMicros() - started) / users.length);
    started = cpuMicros();
    await rawInserts(instantClient, users);
    raw.push((cpuMicros() - started) / users.length);
  }
  return { handler: Math.round(median(handler) * 10) / 10, rawDriver: Math.round(median(raw) * 10) / 10 };
}

/**
 * Inserts until Cassandra's insert rate settles: a freshly started JVM compiles its hot paths over the
 * first minute of load, and ran the first rounds at a third of its later rate. Settled means three
 * rounds of 10,000 rows in a row within 10 % of their mean, after at least 20 (at most 40): after six,
 * the rate had "settled" at 14,000/s in one run and went on to 32,000/s in the rounds measured.
 */
export async function warmUp(client: Client, log: (line: string) => void): Promise<number> {
  const users = benchUsers(10_000);
  const rates: number[] = [];
  for (let round = 1; round <= SIZES.warmUpMaxRounds; round++) {
    rates.push(perSecond(users.length, await timeMs(() => rawInserts(client, users))));
    const last = rates.slice(-3);
    const mean = last.reduce((sum, rate) => sum + rate, 0) / last.length;
    if (round >= SIZES.warmUpMinRounds && last.every((rate) => Math.abs(rate - mean) / mean < 0.1)) {
      log(`warm-up: the raw insert rate settled at ${Math.round(mean)}/s after ${round} rounds`);
      return mean;
    }
  }
  log(`warm-up: the raw insert rate had not settled after ${SIZES.warmUpMaxRounds} rounds (last ${rates.at(-1)}/s); measuring anyway`);
  return rates.at(-1)!;
}

/**
 * No compaction on the benchmark's own table while the writer is measured: a compaction starting in
 * one path's round took a core from it and swung single rounds between ×0.6 and ×1.2. Flushes
 * still happen, to both paths alike. Turned back on afterwards, on an emptied table, for the
 * end-to-end figures.
 */
async function compaction(client: Client, enabled: boolean): Promise<void> {
  await client.execute(`ALTER TABLE spark_streams.created_users WITH compaction = {'class': 'SizeTieredCompactionStrategy', 'enabled': '${enabled}'}`);
}

export async function benchWriter(client: Client, cassandraPid: number | undefined, rounds: number, log: (line: string) => void): Promise<WriterFigures[]> {
  await compaction(client, false);
  try {
    return await measureWriter(client, cassandraPid, rounds, log);
  } finally {
    // Emptied first: compaction turned back on over the rounds' sstables kept Cassandra busy through
    // the end-to-end drain that follows (5,700 rows/s against 7,900 without the backlog). The table
    // is the private stack's own.
    await client.execute('TRUNCATE spark_streams.created_users', [], { readTimeout: 60_000 });
    await compaction(client, true);
  }
}

async function measureWriter(client: Client, cassandraPid: number | undefined, rounds: number, log: (line: string) => void): Promise<WriterFigures[]> {
  await warmUp(client, log);
  const figures: WriterFigures[] = [];
  for (const size of WRITER_BATCHES) {
    const users = benchUsers(size);
    const event = eventOf(users);
    const handler = () => handlerPath(client, event);
    const handlerCpu: CoresBusy[] = [];
    const rawCpu: CoresBusy[] = [];
    // Eight times the rounds for every size: single rounds range ×0.5–×2.0 here (a flush or a JVM
    // pause of Cassandra's lands in one path's round), and with ten rounds the median moved by ±0.05
    // from run to run. 40 rounds of 10,000 take about 30 s.
    const result = await interleaved(
      rounds * 8,
      measured(handler, handlerCpu, cassandraPid),
      measured(() => rawInserts(client, users), rawCpu, cassandraPid),
    );
    const decodeMs = median(Array.from({ length: 5 }, () => decodeOnly(event)));
    const perRow = await nodeMicrosPerRow(event, users);
    figures.push({
      records: size,
      handlerPerSec: perSecond(size, median(result.candidateMs)),
      rawDriverPerSec: perSecond(size, median(result.baselineMs)),
      ratio: result.ratio,
      decodeMs: Math.round(decodeMs * 10) / 10,
      nodeMicrosPerRow: perRow,
      handlerCores: { node: medianOf(handlerCpu, 'node'), cassandra: medianOf(handlerCpu, 'cassandra') },
      rawDriverCores: { node: medianOf(rawCpu, 'node'), cassandra: medianOf(rawCpu, 'cassandra') },
    });
    const f = figures.at(-1)!;
    log(
      `writer ${size}: handler ${f.handlerPerSec}/s (cores: node ${f.handlerCores.node}, cassandra ${f.handlerCores.cassandra}), raw ${f.rawDriverPerSec}/s (node ${f.rawDriverCores.node}, cassandra ${f.rawDriverCores.cassandra}), ratio ${result.ratio.median.toFixed(2)}, decode alone ${f.decodeMs} ms, Node CPU per row without Cassandra ${perRow.handler} µs against ${perRow.rawDriver} µs`,
    );
  }
  return figures;
}
