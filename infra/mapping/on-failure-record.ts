// The message AWS's Kafka event-source mapping writes to its on-failure destination for each record it
// gives up on: the failure metadata and the original record (as the function received it) in one JSON
// value, keyed as the original. https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html#kafka-ofd-record-format
// The emulator writes it; npm run dlq, the console and the drills read the original back out of it.
import { canonicalBase64, headersOf, type LambdaKafkaEvent, type LambdaKafkaRecord } from '../../contract/lambda-kafka-event';

export interface OnFailureRecord {
  requestContext: { requestId: string; functionArn: string; condition: string; approximateInvokeCount: number };
  responseContext: { statusCode: number; executedVersion: string; functionError: string };
  version: string;
  timestamp: string;
  KafkaBatchInfo: {
    batchSize: number;
    eventSourceArn?: string;
    bootstrapServers: string;
    payloadSize: number;
    recordInfo: { offset: string; timestamp: string };
  };
  payload: LambdaKafkaEvent;
}

/**
 * Why the mapping gave a record up: AWS's page shows RetriesExhausted; the age and schema conditions
 * are the emulator's names (AWS's pages show no record of either).
 */
export const ON_FAILURE_CONDITIONS = {
  'retries-exhausted': 'RetriesExhausted',
  'record-age-exceeded': 'RecordAgeExceeded',
  'schema-validation-failed': 'SchemaValidationFailed',
} as const;

export interface GiveUp {
  condition: (typeof ON_FAILURE_CONDITIONS)[keyof typeof ON_FAILURE_CONDITIONS];
  requestId: string;
  functionArn: string;
  invokeCount: number;
  source: Pick<LambdaKafkaEvent, 'eventSource' | 'eventSourceArn'> & { bootstrapServers: string };
  now: Date;
}

export function toOnFailureRecord(record: LambdaKafkaRecord, giveUp: GiveUp): OnFailureRecord {
  const payload: LambdaKafkaEvent = { ...giveUp.source, records: { [`${record.topic}-${record.partition}`]: [record] } };
  return {
    requestContext: { requestId: giveUp.requestId, functionArn: giveUp.functionArn, condition: giveUp.condition, approximateInvokeCount: giveUp.invokeCount },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: giveUp.now.toISOString(),
    KafkaBatchInfo: {
      batchSize: 1,
      ...(giveUp.source.eventSourceArn ? { eventSourceArn: giveUp.source.eventSourceArn } : {}),
      bootstrapServers: giveUp.source.bootstrapServers,
      payloadSize: Buffer.byteLength(JSON.stringify(payload)),
      recordInfo: { offset: String(record.offset), timestamp: new Date(record.timestamp).toISOString() },
    },
    payload,
  };
}

/** The value as an on-failure record, or undefined when it is something else (writeUsers' own poison). */
export function parseOnFailureRecord(value: Buffer | null): OnFailureRecord | undefined {
  if (value === null) return undefined;
  let parsed: Partial<OnFailureRecord> | null;
  try {
    parsed = JSON.parse(value.toString('utf8')) as Partial<OnFailureRecord> | null;
  } catch {
    return undefined;
  }
  const records = parsed?.payload?.records;
  const isFailure =
    typeof parsed?.requestContext?.condition === 'string' &&
    typeof parsed.KafkaBatchInfo === 'object' &&
    records !== null &&
    typeof records === 'object' &&
    Object.values(records).flat().length === 1;
  return isFailure ? (parsed as OnFailureRecord) : undefined;
}

export interface OriginalRecord {
  record: LambdaKafkaRecord;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}

/** The record the function failed on, bytes as they were on the source topic. */
export function originalOf(failure: OnFailureRecord): OriginalRecord {
  const [record] = Object.values(failure.payload.records).flat();
  const bytes = (field: string | null | undefined) => (field === undefined || field === null ? null : (canonicalBase64(field) ?? Buffer.from(field, 'utf8')));
  return { record, key: bytes(record.key), value: bytes(record.value), headers: headersOf(record) };
}
