// writeUsers' work, free of Lambda: decode each record, upsert the valid ones, dead-letter the ones
// that can never succeed, and report for retry exactly those that were not stored anywhere.
import type { WriteOutcomes } from '../cassandra/write-users';
import { BatchNotWrittenError, describe, PoisonRecordError } from '../errors';
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

function where(record: LambdaKafkaRecord) {
  return { topic: record.topic, partition: record.partition, offset: record.offset };
}

export async function writeUserBatch(event: LambdaKafkaEvent, deps: WriteUserBatchDeps): Promise<KafkaBatchResponse> {
  const { logger, meter } = deps;
  const now = deps.now ?? Date.now;
  const records = recordsOf(event);
  const valid: ValidRecord[] = [];
  const poison: PoisonRecord[] = [];
  for (const record of records) {
    try {
      valid.push({ record, user: parseCreatedUser(decodeJsonValue(record)) });
    } catch (error) {
      if (!(error instanceof PoisonRecordError)) throw error;
      poison.push({ record, reason: error.reason, detail: error.detail });
      logger.warn('poison record sent to the dead-letter topic', { ...where(record), reason: error.reason, detail: error.detail });
    }
  }

  const started = now();
  const [outcomes, deadLetterError] = await Promise.all([
    deps.writeRows(valid.map((entry) => entry.user)).catch((error: Error): WriteOutcomes => valid.map(() => error)),
    deps.deadLetter(poison).then(
      () => undefined,
      (error: unknown) => error,
    ),
  ]);
  meter.milliseconds('WriteLatency', now() - started);

  const failed: LambdaKafkaRecord[] = [];
  const writeErrors: Record<string, number> = {};
  valid.forEach(({ record, user }, index) => {
    const error = outcomes[index];
    if (error === undefined) return;
    failed.push(record);
    writeErrors[error.name] = (writeErrors[error.name] ?? 0) + 1;
    logger.warn('row not written; reported for retry', { ...where(record), id: user.id, error: describe(error) });
  });
  if (deadLetterError !== undefined) {
    failed.push(...poison.map((entry) => entry.record));
    logger.error('dead-letter publish failed; poison records reported for retry', { records: poison.length, error: describe(deadLetterError) });
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

  if (records.length > 0 && failed.length === records.length) {
    const cause = valid.length > 0 ? outcomes.find((error) => error !== undefined) : deadLetterError;
    throw new BatchNotWrittenError(records.length, cause);
  }
  return { batchItemFailures: failed.map((record) => ({ itemIdentifier: itemIdentifier(record) })) };
}
