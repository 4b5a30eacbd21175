// The records the emulator has fetched but not yet committed, per partition in offset order, and the
// decisions made on them: which records the next invocation carries, and how far each partition may
// be committed. No broker here; the emulator's loop feeds it and acts on its answers.
import type { LambdaKafkaRecord } from '../../../contract/lambda-kafka-event';

/** Lambda's synchronous invocation payload limit. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** What the event's envelope (eventSource, ARN, bootstrap servers, keys) takes besides the records. */
export const EVENT_ENVELOPE_BYTES = 1024;

export interface BatchLimits {
  batchSize: number;
  windowMs: number;
  maxBytes: number;
}

type State = 'waiting' | 'in-flight' | 'done';

interface Entry {
  record: LambdaKafkaRecord;
  bytes: number;
  arrivedAt: number;
  state: State;
}

export type NextInvocation = { invoke: LambdaKafkaRecord[] } | { waitMs: number } | { idle: true };

export const partitionKey = (record: { topic: string; partition: number }) => `${record.topic}-${record.partition}`;

/**
 * The bytes a record adds to the event as JSON, and its comma. Exact without stringifying the key and
 * value, which are base64 (nothing in it is escaped in JSON): stringifying every record of a backlog
 * cost the emulator more CPU than any other step of its own.
 */
export function recordBytes(record: LambdaKafkaRecord): number {
  const { key, value, ...rest } = record;
  let bytes = JSON.stringify(rest).length + 1;
  for (const [name, text] of [
    ['key', key],
    ['value', value],
  ] as const) {
    // ,"key":"<base64>" or ,"key":null
    if (text !== undefined) bytes += `,"${name}":`.length + (text === null ? 'null'.length : text.length + 2);
  }
  return bytes;
}

export class RecordBuffer {
  private readonly partitions = new Map<string, Entry[]>();

  /** Adds a fetched batch of one partition; records `deliver` rejects (filtered out) are done at once. */
  add(records: LambdaKafkaRecord[], deliver: (record: LambdaKafkaRecord) => boolean, now: number): void {
    for (const record of records) {
      const queue = this.partitions.get(partitionKey(record)) ?? [];
      this.partitions.set(partitionKey(record), queue);
      queue.push({ record, bytes: recordBytes(record), arrivedAt: now, state: deliver(record) ? 'waiting' : 'done' });
    }
  }

  /** Records of a partition fetched but not yet committed: the emulator stops fetching it past a limit. */
  queued(key: string): number {
    return this.partitions.get(key)?.length ?? 0;
  }

  /**
   * What to invoke now, as AWS decides: as soon as the batch is full (batchSize records, or the next
   * record would pass the payload limit), or when the oldest waiting record has waited the batching
   * window. Only partitions with nothing in flight take part, so each partition stays in order; one
   * invocation may carry records of several partitions.
   */
  next(limits: BatchLimits, now: number): NextInvocation {
    const eligible: Entry[] = [];
    for (const queue of this.partitions.values()) {
      if (queue.some((entry) => entry.state === 'in-flight')) continue;
      eligible.push(...queue.filter((entry) => entry.state === 'waiting'));
    }
    if (eligible.length === 0) return { idle: true };
    eligible.sort((a, b) => a.arrivedAt - b.arrivedAt);

    const batch: Entry[] = [];
    let bytes = EVENT_ENVELOPE_BYTES;
    let full = false;
    for (const entry of eligible) {
      if (batch.length >= limits.batchSize || (batch.length > 0 && bytes + entry.bytes > limits.maxBytes)) {
        full = true;
        break;
      }
      batch.push(entry);
      bytes += entry.bytes;
    }
    full ||= batch.length >= limits.batchSize;
    const waited = now - batch[0].arrivedAt;
    if (!full && waited < limits.windowMs) return { waitMs: limits.windowMs - waited };
    for (const entry of batch) entry.state = 'in-flight';
    return { invoke: batch.map((entry) => entry.record) };
  }

  /** Marks records handled (delivered, or given up on to the destination). */
  complete(records: LambdaKafkaRecord[]): void {
    this.setState(records, 'done');
  }

  /** Puts records back to wait (an invocation interrupted by a stop): they are not committed. */
  release(records: LambdaKafkaRecord[]): void {
    this.setState(records, 'waiting');
  }

  /**
   * The offset each partition may commit now (the one after its longest handled prefix), removing
   * that prefix. A record handled out of turn never lets a commit pass an earlier unhandled one.
   */
  takeCommits(): Array<{ topic: string; partition: number; offset: string }> {
    const commits: Array<{ topic: string; partition: number; offset: string }> = [];
    for (const queue of this.partitions.values()) {
      let done = 0;
      while (done < queue.length && queue[done].state === 'done') done++;
      if (done === 0) continue;
      const last = queue[done - 1].record;
      commits.push({ topic: last.topic, partition: last.partition, offset: String(last.offset + 1) });
      // An emptied queue stays: a topic has few partitions, and its next records reuse it.
      queue.splice(0, done);
    }
    return commits;
  }

  /** Forgets every record: after a rebalance Kafka redelivers from the committed offsets. */
  clear(): void {
    this.partitions.clear();
  }

  /** One pass over each partition's queue, not one search per record: batches hold thousands. */
  private setState(records: LambdaKafkaRecord[], state: State): void {
    const offsets = new Map<string, Set<number>>();
    for (const record of records) {
      const key = partitionKey(record);
      offsets.set(key, (offsets.get(key) ?? new Set()).add(record.offset));
    }
    for (const [key, wanted] of offsets) {
      for (const entry of this.partitions.get(key) ?? []) if (wanted.has(entry.record.offset)) entry.state = state;
    }
  }
}
