// writeUsers' work, free of Lambda, as four steps: decode each record, store (upsert the valid ones
// and dead-letter the ones that can never succeed, side by side), summarise, and respond with exactly
// the records that were stored nowhere, for the event-source mapping to retry. The first two overlap:
// each record is decoded when a write slot is free for it.
import type { WriteOutcomes } from '../cassandra/write-users';
import { BatchNotWrittenError, describeError, PoisonRecordError } from '../errors';
import type { PoisonRecord } from '../kafka/dead-letter';
import {
  decodeJsonValue,
  itemIdentifier,
  recordsOf,
  type KafkaBatchResponse,
  type LambdaKafkaEvent,
  type LambdaKafkaRecord,
} from '../kafka/lambda-kafka-event';
import type { Log, Meter } from '../observability';
import { parseCreatedUser, type CreatedUser } from '../users/created-user';

export interface WriteUserBatchDeps {
  /** Takes users from the iterable one at a time (each decoded as it is taken); one outcome per user taken. */
  writeRows(users: Iterable<CreatedUser>): Promise<WriteOutcomes>;
  deadLetter(poison: PoisonRecord[]): Promise<void>;
  logger: Log;
  meter: Meter;
  now?: () => number;
}

export interface WriteBatchSummary {
  records: number;
  written: number;
  deadLettered: number;
  failed: number;
}

interface ValidRecord {
  record: LambdaKafkaRecord;
  user: CreatedUser;
}

interface Decoded {
  valid: ValidRecord[];
  poison: PoisonRecord[];
  /** What broke decoding other than a bad record (a bug): it fails the invocation. */
  unexpected?: { error: unknown };
}

interface Stored {
  /** One per valid record, in order: undefined when written. */
  outcomes: WriteOutcomes;
  /** Why the poison could not be dead-lettered, if it could not. */
  deadLetterError: unknown;
}

function where(record: LambdaKafkaRecord) {
  return { topic: record.topic, partition: record.partition, offset: record.offset };
}

/**
 * Step 1, done lazily: yields each valid record's user as the writer takes it, and files the poison
 * with a named reason on the way. Decoding a record only when a write slot is free lets it overlap the
 * writes in flight; decoding the whole batch first delayed the first write by 44 ms per 10,000 records.
 */
function* decodeUsers(records: LambdaKafkaRecord[], decoded: Decoded, logger: Log): Generator<CreatedUser> {
  for (const record of records) {
    let user: CreatedUser;
    try {
      user = parseCreatedUser(decodeJsonValue(record));
    } catch (error) {
      if (!(error instanceof PoisonRecordError)) {
        // A bug, not a bad record: fail the invocation (the mapping retries the batch) and dead-letter nothing.
        decoded.unexpected = { error };
        return;
      }
      decoded.poison.push({ record, reason: error.reason, detail: error.detail });
      logger.warn('poison record sent to the dead-letter topic', { ...where(record), reason: error.reason, detail: error.detail });
      continue;
    }
    decoded.valid.push({ record, user });
    yield user;
  }
}

function decodeRest(users: Iterator<CreatedUser>): void {
  while (!users.next().done);
}

/**
 * Step 2: upsert as the records decode, and dead-letter the poison as soon as the last record is
 * decoded, beside the last writes; neither failure hides the other's outcome.
 */
async function store(records: LambdaKafkaRecord[], deps: WriteUserBatchDeps): Promise<{ decoded: Decoded; stored: Stored }> {
  const decoded: Decoded = { valid: [], poison: [] };
  const users = decodeUsers(records, decoded, deps.logger);
  let decodedAll: () => void = () => undefined;
  const allDecoded = new Promise<void>((resolve) => (decodedAll = resolve));
  const lastDecodes = (function* () {
    yield* users;
    decodedAll();
  })();
  const writing = deps.writeRows(lastDecodes).then(
    (outcomes) => {
      // A writer that stopped taking users early has not written the rest: they are reported for retry.
      decodeRest(lastDecodes);
      return decoded.valid.map((_, index) => (index < outcomes.length ? outcomes[index] : new Error('the writer returned before taking this user')));
    },
    (error: Error): WriteOutcomes => {
      // The rows were not written (no connection, say): each valid record reports the error, and the poison is still dead-lettered.
      decodeRest(lastDecodes);
      return decoded.valid.map(() => error);
    },
  );
  const deadLettering = allDecoded.then(async () => {
    if (decoded.unexpected) return undefined;
    return deps.deadLetter(decoded.poison).then(
      () => undefined,
      (error: unknown) => error,
    );
  });
  const [outcomes, deadLetterError] = await Promise.all([writing, deadLettering]);
  if (decoded.unexpected) throw decoded.unexpected.error;
  return { decoded, stored: { outcomes, deadLetterError } };
}

/** Step 3: the records stored nowhere, with a log line for each and one for the batch, and metrics. */
function summarise(records: LambdaKafkaRecord[], { valid, poison }: Decoded, { outcomes, deadLetterError }: Stored, { logger, meter }: WriteUserBatchDeps): LambdaKafkaRecord[] {
  const failed: LambdaKafkaRecord[] = [];
  const writeErrors: Record<string, number> = {};
  valid.forEach(({ record, user }, index) => {
    const error = outcomes[index];
    if (error === undefined) return;
    failed.push(record);
    writeErrors[error.name] = (writeErrors[error.name] ?? 0) + 1;
    logger.warn('row not written; reported for retry', { ...where(record), id: user.id, error: describeError(error) });
  });
  if (deadLetterError !== undefined) {
    failed.push(...poison.map((entry) => entry.record));
    logger.error('dead-letter publish failed; poison records reported for retry', { records: poison.length, error: describeError(deadLetterError) });
  }
  const summary: WriteBatchSummary = {
    records: records.length,
    written: valid.length - Object.values(writeErrors).reduce((sum, n) => sum + n, 0),
    deadLettered: deadLetterError === undefined ? poison.length : 0,
    failed: failed.length,
  };
  meter.count('BatchSize', summary.records);
  meter.count('Written', summary.written);
  meter.count('DeadLettered', summary.deadLettered);
  meter.count('Failed', summary.failed);
  logger.info('wrote user batch', { ...summary, writeErrors });
  return failed;
}

export async function writeUserBatch(event: LambdaKafkaEvent, deps: WriteUserBatchDeps): Promise<KafkaBatchResponse> {
  const now = deps.now ?? Date.now;
  const records = recordsOf(event);
  const started = now();
  const { decoded, stored } = await store(records, deps);
  // Decoding now runs beside the writes, so this is the time to decode and store the batch.
  deps.meter.milliseconds('WriteLatency', now() - started);
  const failed = summarise(records, decoded, stored, deps);

  // Step 4: nothing stored anywhere fails the invocation (the mapping retries the batch); otherwise
  // the failed records are reported, for the mapping to retry from.
  if (records.length > 0 && failed.length === records.length) {
    // Every record failed: with any valid records, the first write error is as good as any.
    const cause = decoded.valid.length > 0 ? stored.outcomes[0] : stored.deadLetterError;
    throw new BatchNotWrittenError(records.length, cause);
  }
  return { batchItemFailures: failed.map((record) => ({ itemIdentifier: itemIdentifier(record) })) };
}
