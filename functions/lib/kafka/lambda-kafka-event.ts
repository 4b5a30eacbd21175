// The event Lambda's Kafka event-source mapping delivers, for Amazon MSK (`aws:kafka`) and self-managed
// Kafka (`SelfManagedKafka`): records grouped by "topic-partition", key and value in base64 (either may
// be absent), headers as arrays of byte values. Also the partial batch response that mapping accepts.
import { PoisonRecordError } from '../errors';

export interface LambdaKafkaRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME' | string;
  key?: string | null;
  value?: string | null;
  headers?: Array<Record<string, number[]>>;
}

export interface LambdaKafkaEvent {
  eventSource: 'aws:kafka' | 'SelfManagedKafka';
  eventSourceArn?: string;
  bootstrapServers?: string;
  records: Record<string, LambdaKafkaRecord[]>;
}

/** Kafka's partial batch item: the "topic-partition" and the offset to retry from. */
export interface KafkaItemIdentifier {
  partition: string;
  offset: number;
}

export interface KafkaBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: KafkaItemIdentifier }>;
}

export function isLambdaKafkaEvent(event: unknown): event is LambdaKafkaEvent {
  const candidate = event as Partial<LambdaKafkaEvent> | null | undefined;
  const source = candidate?.eventSource;
  return (source === 'aws:kafka' || source === 'SelfManagedKafka') && typeof candidate?.records === 'object' && candidate.records !== null;
}

/** All records of the event, partition by partition, each partition in offset order. */
export function recordsOf(event: LambdaKafkaEvent): LambdaKafkaRecord[] {
  return Object.values(event.records).flatMap((records) => [...records].sort((a, b) => a.offset - b.offset));
}

export function itemIdentifier(record: LambdaKafkaRecord): KafkaItemIdentifier {
  return { partition: `${record.topic}-${record.partition}`, offset: Number(record.offset) };
}

// Base64 of whole groups of four: alphabet characters, then at most two '=' of padding. With the
// length a multiple of four this is the strict grammar, and a single character class scans faster
// than groups of four (it runs on every record of a 10,000-record batch).
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64.test(text);
}

/** Strict base64 (Buffer.from would silently skip bad characters). */
export function decodeBase64(field: string, encoded: string): Buffer {
  if (!isBase64(encoded)) throw new PoisonRecordError('not-base64', `${field} is not valid base64`);
  return Buffer.from(encoded, 'base64');
}

/** The record's value as JSON, or a PoisonRecordError saying which decoding step failed. */
export function decodeJsonValue(record: LambdaKafkaRecord): unknown {
  if (record.value === undefined || record.value === null || record.value === '') {
    throw new PoisonRecordError('missing-value', 'record has no value (a tombstone or an empty message)');
  }
  let text: string;
  try {
    text = utf8.decode(decodeBase64('value', record.value));
  } catch (error) {
    if (error instanceof PoisonRecordError) throw error;
    throw new PoisonRecordError('not-utf8', 'value is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new PoisonRecordError('not-json', `value is not JSON (${text.length} characters)`);
  }
}

/** Headers as KafkaJS wants them, byte values kept exactly. Repeated keys keep their last value. */
export function headersOf(record: LambdaKafkaRecord): Record<string, Buffer> {
  const headers: Record<string, Buffer> = {};
  for (const entry of record.headers ?? []) {
    for (const [name, bytes] of Object.entries(entry)) headers[name] = Buffer.from(bytes);
  }
  return headers;
}
