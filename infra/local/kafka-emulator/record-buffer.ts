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
  partition: Partition;
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

interface Partition {
  topic: string;
  partition: number;
  entries: Entry[];
  /** The same entries by offset, so marking a batch handled costs one lookup a record, not a scan. */
  byOffset: Map<number, Entry>;
  /** Records of this partition in flight: while any are, the partition takes no part in a batch. */
  inFlight: number;
}

export class RecordBuffer {
  /** By topic, then partition number: looked up for each record, so no key string is built for it. */
  private readonly partitions = new Map<string, Map<number, Partition>>();

  /** Adds a fetched batch of one partition; records `deliver` rejects (filtered out) are done at once. */
  add(records: LambdaKafkaRecord[], deliver: (record: LambdaKafkaRecord) => boolean, now: number): void {
    let partition: Partition | undefined;
    for (const record of records) {
      if (!partition || partition.topic !== record.topic || partition.partition !== record.partition) partition = this.partitionOf(record);
      const entry: Entry = { record, bytes: recordBytes(record), arrivedAt: now, state: deliver(record) ? 'waiting' : 'done', partition };
      partition.entries.push(entry);
      partition.byOffset.set(record.offset, entry);
    }
  }

  /** Records of a partition fetched but not yet committed: the emulator stops fetching it past a limit. */
  queued(record: { topic: string; partition: number }): number {
    return this.partitions.get(record.topic)?.get(record.partition)?.entries.length ?? 0;
  }

  /**
   * What to invoke now, as AWS decides: as soon as the batch is full (batchSize records, or the next
   * record would pass the payload limit), or when the oldest waiting record has waited the batching
   * window. Only partitions with nothing in flight take part, so each partition stays in order; one
   * invocation may carry records of several partitions.
   */
  next(limits: BatchLimits, now: number): NextInvocation {
    // No batch takes more than batchSize records of one partition: look no further into each.
    const eligible: Entry[] = [];
    for (const { entries, inFlight } of this.allPartitions()) {
      if (inFlight > 0) continue;
      let taken = 0;
      for (let i = 0; i < entries.length && taken < limits.batchSize; i++) {
        if (entries[i].state !== 'waiting') continue;
        eligible.push(entries[i]);
        taken++;
      }
    }
    if (eligible.length === 0) return { idle: true };
    // Stable: records of one partition keep their offset order.
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
    for (const entry of batch) this.setState(entry, 'in-flight');
    return { invoke: batch.map((entry) => entry.record) };
  }

  /** Marks records handled (delivered, or given up on to the destination). */
  complete(records: LambdaKafkaRecord[]): void {
    for (const record of records) this.setState(this.entryOf(record), 'done');
  }

  /** Puts records back to wait (an invocation interrupted by a stop): they are not committed. */
  release(records: LambdaKafkaRecord[]): void {
    for (const record of records) this.setState(this.entryOf(record), 'waiting');
  }

  /**
   * The offset each partition may commit now (the one after its longest handled prefix), removing
   * that prefix. A record handled out of turn never lets a commit pass an earlier unhandled one.
   */
  takeCommits(): Array<{ topic: string; partition: number; offset: string }> {
    const commits: Array<{ topic: string; partition: number; offset: string }> = [];
    for (const { entries, byOffset } of this.allPartitions()) {
      let done = 0;
      while (done < entries.length && entries[done].state === 'done') done++;
      if (done === 0) continue;
      const last = entries[done - 1].record;
      commits.push({ topic: last.topic, partition: last.partition, offset: String(last.offset + 1) });
      for (let i = 0; i < done; i++) byOffset.delete(entries[i].record.offset);
      // An emptied queue stays: a topic has few partitions, and its next records reuse it.
      entries.splice(0, done);
    }
    return commits;
  }

  /** Forgets every record: after a rebalance Kafka redelivers from the committed offsets. */
  clear(): void {
    this.partitions.clear();
  }

  private *allPartitions(): Iterable<Partition> {
    for (const ofTopic of this.partitions.values()) yield* ofTopic.values();
  }

  private partitionOf({ topic, partition: number }: { topic: string; partition: number }): Partition {
    let ofTopic = this.partitions.get(topic);
    if (!ofTopic) this.partitions.set(topic, (ofTopic = new Map()));
    let partition = ofTopic.get(number);
    if (!partition) ofTopic.set(number, (partition = { topic, partition: number, entries: [], byOffset: new Map(), inFlight: 0 }));
    return partition;
  }

  private entryOf(record: LambdaKafkaRecord): Entry | undefined {
    return this.partitions.get(record.topic)?.get(record.partition)?.byOffset.get(record.offset);
  }

  /** Moves one entry to `state`, keeping its partition's count of records in flight. */
  private setState(entry: Entry | undefined, state: State): void {
    // A record forgotten by clear() (a rebalance while it was in flight) has nothing left to mark.
    if (!entry || entry.state === state) return;
    if (entry.state === 'in-flight') entry.partition.inFlight--;
    if (state === 'in-flight') entry.partition.inFlight++;
    entry.state = state;
  }
}
