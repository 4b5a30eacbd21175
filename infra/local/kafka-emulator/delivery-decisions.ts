// What the event-source mapping does after each invocation, as AWS documents it for Kafka: retry,
// retry from the failed records (ReportBatchItemFailures), split the batch (BisectBatchOnFunctionError),
// or give the records up to the on-failure destination. Pure functions, tested without a broker.
import type { KafkaBatchResponse, LambdaKafkaRecord } from '../../../contract/lambda-kafka-event';
import { partitionKey } from './record-buffer';

export interface DeliveryControls {
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
}

export type InvokeOutcome = { ok: true; response: unknown } | { ok: false; error: string };

export type NextStep =
  | { step: 'done' }
  | { step: 'retry'; records: LambdaKafkaRecord[] }
  | { step: 'bisect'; halves: [LambdaKafkaRecord[], LambdaKafkaRecord[]] }
  | { step: 'give-up'; records: LambdaKafkaRecord[]; reason: 'retries-exhausted'; detail: string };

/**
 * With ReportBatchItemFailures, the records to retry: in each partition named by a failure, from its
 * lowest failed offset on. Undefined when nothing failed; every record when the response is malformed
 * (AWS then treats the whole batch as failed).
 */
export function recordsToRetry(records: LambdaKafkaRecord[], response: unknown, reportBatchItemFailures: boolean): LambdaKafkaRecord[] | undefined {
  if (!reportBatchItemFailures) return undefined;
  const failures = (response as Partial<KafkaBatchResponse> | null | undefined)?.batchItemFailures;
  // Stryker disable next-line ConditionalExpression: equivalent - without the length check an empty list retries nothing anyway
  if (failures === undefined || failures === null || failures.length === 0) return undefined;
  if (!Array.isArray(failures)) return records;
  const lowest = new Map<string, number>();
  for (const failure of failures) {
    const id = failure?.itemIdentifier;
    if (typeof id?.partition !== 'string' || !Number.isFinite(Number(id.offset))) return records;
    lowest.set(id.partition, Math.min(lowest.get(id.partition) ?? Infinity, Number(id.offset)));
  }
  const retry = records.filter((record) => record.offset >= (lowest.get(partitionKey(record)) ?? Infinity));
  return retry.length > 0 ? retry : undefined;
}

/** Records older than maximumRecordAgeInSeconds are never delivered: they go to the destination. */
export function splitByAge(
  records: LambdaKafkaRecord[],
  now: number,
  maximumRecordAgeInSeconds: number,
): { expired: LambdaKafkaRecord[]; fresh: LambdaKafkaRecord[] } {
  if (maximumRecordAgeInSeconds === -1) return { expired: [], fresh: records };
  const oldest = now - maximumRecordAgeInSeconds * 1000;
  return { expired: records.filter((r) => r.timestamp < oldest), fresh: records.filter((r) => r.timestamp >= oldest) };
}

/**
 * After an attempt at `records` (the retries already made before it in `retries`): done, split in two
 * (a function error with bisect on; splitting is not a retry, as in AWS), retry (all, or from the
 * reported failures), or give up once the retries are spent.
 */
export function nextStep(records: LambdaKafkaRecord[], outcome: InvokeOutcome, retries: number, controls: DeliveryControls): NextStep {
  const retry = outcome.ok ? recordsToRetry(records, outcome.response, controls.reportBatchItemFailures) : records;
  if (retry === undefined) return { step: 'done' };
  if (!outcome.ok && controls.bisectBatchOnFunctionError && records.length > 1) {
    const half = Math.ceil(records.length / 2);
    return { step: 'bisect', halves: [records.slice(0, half), records.slice(half)] };
  }
  if (controls.maximumRetryAttempts !== -1 && retries >= controls.maximumRetryAttempts) {
    const why = outcome.ok ? 'reported in batchItemFailures' : outcome.error;
    return { step: 'give-up', records: retry, reason: 'retries-exhausted', detail: `failed after ${retries + 1} attempt(s): ${why}` };
  }
  return { step: 'retry', records: retry };
}
