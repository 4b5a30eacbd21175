// writeUsers' work, free of Lambda, as four steps: decode each record, store (upsert the valid ones
// and dead-letter the ones that can never succeed, side by side), summarise, and respond with exactly
// the records that were stored nowhere, for the event-source mapping to retry.
import type { WriteOutcomes } from './upsert-users';
import { BatchNotWrittenError, describeError, PoisonRecordError } from '../shared/errors';
import type { PoisonRecord } from './dead-letter';
import { decodeJsonValue } from './decode-record';
import { TRACEPARENT_HEADER, traceOf } from '../shared/trace-context';
import {
  headersOf,
  itemIdentifier,
  recordsOf,
  type KafkaBatchResponse,
  type LambdaKafkaEvent,
  type LambdaKafkaRecord,
} from '../../contract/lambda-kafka-event';
import { LOG_EVENTS, type Log, type Meter } from '../shared/observability';
import { parseCreatedUser, type CreatedUser } from '../shared/created-user';

export interface WriteUserBatchDeps {
  writeRows(users: CreatedUser[]): Promise<WriteOutcomes>;
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
}

interface Stored {
  /** One per valid record, in order: undefined when written. */
  outcomes: WriteOutcomes;
  /** Why the poison could not be dead-lettered, if it could not. */
  deadLetterError: unknown;
}

/** Where a record sits, and the trace of the run that published it. */
function where(record: LambdaKafkaRecord) {
  const traceId = traceOf(headersOf(record)[TRACEPARENT_HEADER])?.traceId;
  return { topic: record.topic, partition: record.partition, offset: record.offset, ...(traceId ? { traceId } : {}) };
}

/** Step 1: every record is either a user to write or poison with a named reason. */
function decode(records: LambdaKafkaRecord[], logger: Log): Decoded {
  const decoded: Decoded = { valid: [], poison: [] };
  for (const record of records) {
    try {
      decoded.valid.push({ record, user: parseCreatedUser(decodeJsonValue(record)) });
    } catch (error) {
      if (!(error instanceof PoisonRecordError)) throw error;
      decoded.poison.push({ record, reason: error.reason, detail: error.detail });
      logger.warn('poison record sent to the dead-letter topic', { ...where(record), reason: error.reason, detail: error.detail });
    }
  }
  return decoded;
}

/** Step 2: upsert and dead-letter at once; neither failure hides the other's outcome. */
async function store({ valid, poison }: Decoded, deps: WriteUserBatchDeps): Promise<Stored> {
  const [outcomes, deadLetterError] = await Promise.all([
    deps.writeRows(valid.map((entry) => entry.user)).catch((error: Error): WriteOutcomes => valid.map(() => error)),
    deps.deadLetter(poison).then(
      () => undefined,
      (error: unknown) => error,
    ),
  ]);
  return { outcomes, deadLetterError };
}

/** Step 3: the records stored nowhere, with a log line for each and one for the batch, and metrics. */
function summarise(
  records: LambdaKafkaRecord[],
  { valid, poison }: Decoded,
  { outcomes, deadLetterError }: Stored,
  { logger, meter }: WriteUserBatchDeps,
): LambdaKafkaRecord[] {
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
  logger.info('wrote user batch', { event: LOG_EVENTS.batchWritten, ...summary, writeErrors });
  return failed;
}

export async function writeUserBatch(event: LambdaKafkaEvent, deps: WriteUserBatchDeps): Promise<KafkaBatchResponse> {
  const now = deps.now ?? Date.now;
  const records = recordsOf(event);
  const decoded = decode(records, deps.logger);
  const started = now();
  const stored = await store(decoded, deps);
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
