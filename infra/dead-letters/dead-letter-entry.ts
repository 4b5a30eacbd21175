// A record of users_created.dlq as people work with it: where it sits, why it is there and where it
// came from (the dlq-* headers writeUsers and the event-source mapping write), its original key, value
// and headers. Personal fields are masked for display unless asked for.
import { DLQ_HEADERS } from '../../functions/lib/kafka/dead-letter';

/** The header a redriven record carries on users_created: which dead letter it came from. */
export const REDRIVEN_FROM_HEADER = 'dlq-redriven-from';

export interface TopicRecord {
  partition: number;
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface DeadLetterEntry extends TopicRecord {
  /** `partition:offset` on the dead-letter topic: what `show` and the redrive header name. */
  position: string;
  reason: string;
  detail: string;
  source: { topic: string; partition: string; offset: string };
}

export function toDeadLetterEntry(record: TopicRecord): DeadLetterEntry {
  const h = record.headers;
  return {
    ...record,
    position: `${record.partition}:${record.offset}`,
    reason: h[DLQ_HEADERS.reason] ?? 'unknown',
    detail: h[DLQ_HEADERS.detail] ?? '',
    source: { topic: h[DLQ_HEADERS.sourceTopic] ?? '?', partition: h[DLQ_HEADERS.sourcePartition] ?? '?', offset: h[DLQ_HEADERS.sourceOffset] ?? '?' },
  };
}

export interface Selection {
  reason?: string;
  /** Milliseconds since the epoch: only records dead-lettered at or after it. */
  since?: number;
}

export function select(entries: DeadLetterEntry[], { reason, since }: Selection): DeadLetterEntry[] {
  return entries.filter((entry) => (reason === undefined || entry.reason === reason) && (since === undefined || Number(entry.timestamp) >= since));
}

/** The record's original headers: the dlq-* ones the dead-lettering added are dropped. */
export function originalHeaders(entry: DeadLetterEntry): Record<string, string> {
  return Object.fromEntries(Object.entries(entry.headers).filter(([name]) => !name.startsWith('dlq-')));
}

/** Fields a reader may see without --reveal: the id is logged everywhere already; the rest is personal. */
const VISIBLE_FIELDS = new Set(['id']);

/** The value for display: JSON fields masked (length kept), anything else described, never shown. */
export function maskedValue(value: Buffer | null): unknown {
  if (value === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return `<${value.length} bytes, not JSON; --reveal shows them>`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return `<JSON ${Array.isArray(parsed) ? 'array' : typeof parsed}; --reveal shows it>`;
  return Object.fromEntries(
    Object.entries(parsed).map(([field, inner]) => [field, VISIBLE_FIELDS.has(field) ? inner : `<masked: ${typeof inner === 'string' ? `${[...inner].length} chars` : typeof inner}>`]),
  );
}
