// A record of users_created.dlq as people work with it, whichever wrote it: writeUsers' poison (the
// original bytes with dlq-* headers) or the event-source mapping's on-failure record (AWS's JSON
// envelope around the original). Each reads as where it sits, why it is there, where it came from, and
// the original key, value and headers. Personal fields are masked for display unless asked for.
import { DLQ_HEADERS } from '../../../contract/dead-letter-headers';
import { ON_FAILURE_CONDITIONS, originalOf, parseOnFailureRecord } from '../../mapping/on-failure-record';
import { TRACEPARENT_HEADER, traceOf } from '../../../functions/shared/trace-context';

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
  /** writeUsers' own poison, the mapping's on-failure record, or neither. */
  writer: 'writeUsers' | 'mapping' | 'unknown';
  reason: string;
  detail: string;
  source: { topic: string; partition: string; offset: string };
  /** The record as it was on the source topic: what a redrive republishes. */
  original: { key: Buffer | null; value: Buffer | null; headers: Record<string, string> };
  /** The trace id of the produceUsers run that published the original, when it carried one. */
  traceId?: string;
}

const REASON_OF_CONDITION: Record<string, string> = Object.fromEntries(Object.entries(ON_FAILURE_CONDITIONS).map(([reason, condition]) => [condition, reason]));

export function toDeadLetterEntry(record: TopicRecord): DeadLetterEntry {
  const entry = entryOf(record);
  const traceId = traceOf(entry.original.headers[TRACEPARENT_HEADER])?.traceId;
  return traceId ? { ...entry, traceId } : entry;
}

function entryOf(record: TopicRecord): DeadLetterEntry {
  const h = record.headers;
  const position = `${record.partition}:${record.offset}`;
  if (h[DLQ_HEADERS.reason] !== undefined) {
    const headers = Object.fromEntries(Object.entries(h).filter(([name]) => !name.startsWith('dlq-')));
    return {
      ...record,
      position,
      writer: 'writeUsers',
      reason: h[DLQ_HEADERS.reason],
      detail: h[DLQ_HEADERS.detail] ?? '',
      source: { topic: h[DLQ_HEADERS.sourceTopic] ?? '?', partition: h[DLQ_HEADERS.sourcePartition] ?? '?', offset: h[DLQ_HEADERS.sourceOffset] ?? '?' },
      original: { key: record.key, value: record.value, headers },
    };
  }
  const failure = parseOnFailureRecord(record.value);
  if (failure) {
    const original = originalOf(failure);
    const { condition, approximateInvokeCount, functionArn } = failure.requestContext;
    return {
      ...record,
      position,
      writer: 'mapping',
      reason: REASON_OF_CONDITION[condition] ?? condition,
      detail: `the event-source mapping gave up (${condition}) after ${approximateInvokeCount} invocation(s) of ${functionArn.split(':function:')[1] ?? functionArn}`,
      source: { topic: original.record.topic, partition: String(original.record.partition), offset: String(original.record.offset) },
      original: {
        key: original.key,
        value: original.value,
        headers: Object.fromEntries(Object.entries(original.headers).map(([name, bytes]) => [name, bytes.toString('utf8')])),
      },
    };
  }
  return {
    ...record,
    position,
    writer: 'unknown',
    reason: 'unknown',
    detail: 'neither writeUsers’ dlq-* headers nor the mapping’s on-failure record',
    source: { topic: '?', partition: '?', offset: '?' },
    original: { key: record.key, value: record.value, headers: h },
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
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return `<JSON ${Array.isArray(parsed) ? 'array' : typeof parsed}; --reveal shows it>`;
  return Object.fromEntries(
    Object.entries(parsed).map(([field, inner]) => [
      field,
      VISIBLE_FIELDS.has(field) ? inner : `<masked: ${typeof inner === 'string' ? `${[...inner].length} chars` : typeof inner}>`,
    ]),
  );
}
