// Builds the event Lambda's Kafka event-source mapping sends, byte for byte as AWS documents it:
// records grouped by "topic-partition", base64 key and value, headers as arrays of byte values.
// Used by the `sls offline` emulator and the tests; the sample events in events/ are static files in the same format.
import type { LambdaKafkaEvent, LambdaKafkaRecord } from '../../../contract/lambda-kafka-event';

export interface SourceRecord {
  topic: string;
  partition: number;
  offset: number | string;
  timestamp: number | string;
  timestampType?: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
}

export type EventSourceKind = { kind: 'msk'; eventSourceArn: string; bootstrapServers: string } | { kind: 'kafka'; bootstrapServers: string };

function base64(data: Buffer | string | null | undefined): string | null | undefined {
  if (data === undefined || data === null) return data;
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64');
}

function headerEntries(headers: SourceRecord['headers']): Array<Record<string, number[]>> {
  const entries: Array<Record<string, number[]>> = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      entries.push({ [name]: [...(typeof one === 'string' ? Buffer.from(one, 'utf8') : one)] });
    }
  }
  return entries;
}

export function toLambdaKafkaRecord(record: SourceRecord): LambdaKafkaRecord {
  const built: LambdaKafkaRecord = {
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    timestampType: record.timestampType ?? 'CREATE_TIME',
    headers: headerEntries(record.headers),
  };
  const key = base64(record.key);
  const value = base64(record.value);
  // AWS leaves out a null key or value rather than sending null.
  if (key !== undefined && key !== null) built.key = key;
  if (value !== undefined && value !== null) built.value = value;
  return built;
}

export function buildLambdaKafkaEvent(source: EventSourceKind, records: SourceRecord[]): LambdaKafkaEvent {
  const grouped: Record<string, LambdaKafkaRecord[]> = {};
  for (const record of records) {
    (grouped[`${record.topic}-${record.partition}`] ??= []).push(toLambdaKafkaRecord(record));
  }
  return source.kind === 'msk'
    ? { eventSource: 'aws:kafka', eventSourceArn: source.eventSourceArn, bootstrapServers: source.bootstrapServers, records: grouped }
    : { eventSource: 'SelfManagedKafka', bootstrapServers: source.bootstrapServers, records: grouped };
}
