// Emulates Lambda's Kafka event-source mapping for `sls offline`: consumes a topic from the local
// Kafka and invokes the function with the event AWS would build, committing offsets only after the
// records they cover succeeded, with AWS's error controls (retries, record age, bisect, partial batch
// response, on-failure destination). One partition's records are always delivered in order.
import { Kafka, logLevel, type Admin, type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import { deadLetter, type DeadLetter } from '../../functions/lib/kafka/dead-letter';
import type { KafkaBatchResponse, LambdaKafkaEvent, LambdaKafkaRecord } from '../../functions/lib/kafka/lambda-kafka-event';
import { openIdempotentProducer } from '../../functions/lib/kafka/shared-producer';
import { buildLambdaKafkaEvent, toLambdaKafkaRecord } from './build-lambda-kafka-event';
import { compileFilters, matchesAny } from './event-filter';
import type { EventSourceMapping } from './event-source-mapping';

/** Lambda's synchronous invocation payload limit. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export type InvokeOutcome = { ok: true; response: unknown } | { ok: false; error: string };

export interface EmulatorDeps {
  invoke(functionName: string, event: LambdaKafkaEvent): Promise<InvokeOutcome>;
  log(line: string): void;
  now?: () => number;
  retryDelayMs?: (retry: number) => number;
}

type Outcome = 'ok' | 'partial' | 'error';

export class KafkaEventSourceEmulator {
  private readonly kafka: Kafka;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private stopping = false;
  private readonly patterns;
  private readonly now: () => number;
  private readonly retryDelayMs: (retry: number) => number;

  constructor(
    readonly mapping: EventSourceMapping,
    private readonly deps: EmulatorDeps,
  ) {
    this.kafka = new Kafka({ clientId: `esm-emulator-${mapping.functionKey}`, brokers: mapping.bootstrapServers, logLevel: logLevel.NOTHING });
    this.patterns = compileFilters(mapping.filterPatterns);
    this.now = deps.now ?? Date.now;
    this.retryDelayMs = deps.retryDelayMs ?? ((retry) => Math.min(5000, 250 * 2 ** (retry - 1)));
  }

  /** Resolves once the group's position is fixed and consumption has begun. */
  async start(): Promise<void> {
    const { mapping } = this;
    if (!mapping.enabled) {
      this.deps.log(`${mapping.functionKey}: ${mapping.topic} mapping disabled (enabled: false)`);
      return;
    }
    await this.positionNewGroup();
    this.consumer = this.kafka.consumer({
      groupId: mapping.consumerGroupId,
      // The fetch waits up to the batching window for data to accumulate, as the mapping does.
      maxWaitTimeInMs: Math.max(10, mapping.maximumBatchingWindowMs),
      minBytes: MAX_PAYLOAD_BYTES,
      maxBytesPerPartition: MAX_PAYLOAD_BYTES,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5000 },
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: mapping.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 16,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.deps.log(
      `${mapping.functionKey}: consuming ${mapping.topic} as group ${mapping.consumerGroupId} (batch ${mapping.batchSize}, window ${mapping.maximumBatchingWindowMs} ms)`,
    );
  }

  /** Stops after the batch in flight; what was processed is committed, the rest is redelivered next time. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  /** startingPosition applies only to a group with no committed offset, as in AWS. */
  private async positionNewGroup(): Promise<void> {
    // On a fresh broker the group coordinator (and __consumer_offsets) may still be loading.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.positionNewGroupOnce();
      } catch (error) {
        const retriable = (error as { retriable?: boolean }).retriable === true;
        if (!retriable || attempt >= 30 || this.stopping) throw error;
        await sleep(1000);
      }
    }
  }

  private async positionNewGroupOnce(): Promise<void> {
    const { mapping } = this;
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId: mapping.consumerGroupId, topics: [mapping.topic] });
      if (committed.partitions.some((p) => p.offset !== '-1')) return;
      let partitions: Array<{ partition: number; offset: string }>;
      if (mapping.startingPosition === 'AT_TIMESTAMP') {
        const at = mapping.startingPositionTimestamp ?? this.now() / 1000;
        partitions = await admin.fetchTopicOffsetsByTimestamp(mapping.topic, Math.round(at * 1000));
      } else {
        const ends = await admin.fetchTopicOffsets(mapping.topic);
        partitions = ends.map((p) => ({ partition: p.partition, offset: mapping.startingPosition === 'LATEST' ? p.high : p.low }));
      }
      await admin.setOffsets({ groupId: mapping.consumerGroupId, topic: mapping.topic, partitions });
    } finally {
      await admin.disconnect();
    }
  }

  private async onBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    const records = batch.messages.map((message) =>
      toLambdaKafkaRecord({
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        timestamp: message.timestamp,
        key: message.key,
        value: message.value,
        headers: message.headers,
      }),
    );
    for (const chunk of chunksOf(records, this.mapping.batchSize)) {
      if (this.stopping || !isRunning() || isStale()) return;
      const delivered = chunk.filter((record) => matchesAny(record, this.patterns));
      if (delivered.length > 0 && !(await this.deliver(delivered, 0, heartbeat))) return;
      const last = chunk[chunk.length - 1].offset;
      resolveOffset(String(last));
      await this.consumer!.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(last + 1) }]);
      await heartbeat();
    }
  }

  /**
   * Invokes until the records succeed, are split, or are given up on (sent to the on-failure
   * destination). Returns false when stopping interrupted it: nothing may then be committed.
   */
  private async deliver(records: LambdaKafkaRecord[], retriesUsed: number, heartbeat: () => Promise<void>): Promise<boolean> {
    const { mapping } = this;
    let pending = records;
    for (let retries = retriesUsed; ; retries++) {
      if (this.stopping) return false;
      if (mapping.maximumRecordAgeInSeconds !== -1) {
        const oldest = this.now() - mapping.maximumRecordAgeInSeconds * 1000;
        const expired = pending.filter((record) => record.timestamp < oldest);
        if (expired.length > 0) {
          await this.giveUp(expired, 'record-age-exceeded', `older than maximumRecordAgeInSeconds (${mapping.maximumRecordAgeInSeconds})`);
          pending = pending.filter((record) => record.timestamp >= oldest);
          if (pending.length === 0) return true;
        }
      }

      const started = this.now();
      const outcome = await this.deps.invoke(mapping.functionName, this.eventOf(pending));
      const retryFrom = outcome.ok ? this.failedFrom(pending, outcome.response) : undefined;
      const result: Outcome = !outcome.ok ? 'error' : retryFrom === undefined ? 'ok' : 'partial';
      this.logInvocation(pending, this.now() - started, result, retries, outcome.ok ? undefined : outcome.error);
      if (result === 'ok') return true;

      if (result === 'error' && mapping.bisectBatchOnFunctionError && pending.length > 1) {
        // Splitting does not count as a retry, as in AWS.
        const half = Math.ceil(pending.length / 2);
        return (await this.deliver(pending.slice(0, half), retries, heartbeat)) && this.deliver(pending.slice(half), retries, heartbeat);
      }
      if (retryFrom !== undefined) pending = retryFrom;
      if (mapping.maximumRetryAttempts !== -1 && retries >= mapping.maximumRetryAttempts) {
        await this.giveUp(pending, 'retries-exhausted', `failed after ${retries + 1} attempt(s): ${outcome.ok ? 'reported in batchItemFailures' : outcome.error}`);
        return true;
      }
      await sleep(this.retryDelayMs(retries + 1));
      await heartbeat();
    }
  }

  /**
   * With ReportBatchItemFailures, the records to retry: from the lowest failed offset of each
   * partition on. Undefined when the batch succeeded; all records when the response is malformed.
   */
  private failedFrom(records: LambdaKafkaRecord[], response: unknown): LambdaKafkaRecord[] | undefined {
    if (!this.mapping.reportBatchItemFailures) return undefined;
    const failures = (response as Partial<KafkaBatchResponse> | null | undefined)?.batchItemFailures;
    if (failures === undefined || failures === null || failures.length === 0) return undefined;
    const lowest = new Map<string, number>();
    for (const failure of failures) {
      const id = failure?.itemIdentifier;
      if (typeof id?.partition !== 'string' || !Number.isFinite(Number(id.offset))) return records; // malformed: the whole batch failed
      lowest.set(id.partition, Math.min(lowest.get(id.partition) ?? Infinity, Number(id.offset)));
    }
    const retry = records.filter((record) => record.offset >= (lowest.get(`${record.topic}-${record.partition}`) ?? Infinity));
    return retry.length > 0 ? retry : undefined;
  }

  private async giveUp(records: LambdaKafkaRecord[], reason: string, detail: string): Promise<void> {
    const { mapping } = this;
    if (!mapping.onFailureTopic) {
      this.deps.log(`${mapping.functionKey}: dropped ${records.length} record(s) (${reason}; no onFailureDestination)`);
      return;
    }
    this.producer ??= await openIdempotentProducer(this.kafka);
    const letters: DeadLetter[] = records.map((record) => ({ record, reason, detail: `${mapping.functionName}: ${detail}` }));
    await deadLetter(this.producer, letters, new Date(this.now()), mapping.onFailureTopic);
    this.deps.log(`${mapping.functionKey}: sent ${records.length} record(s) to ${mapping.onFailureTopic} (${reason})`);
  }

  private eventOf(records: LambdaKafkaRecord[]): LambdaKafkaEvent {
    const { mapping } = this;
    const source =
      mapping.source === 'msk'
        ? { kind: 'msk' as const, eventSourceArn: mapping.eventSourceArn ?? '', bootstrapServers: mapping.bootstrapServers.join(',') }
        : { kind: 'kafka' as const, bootstrapServers: mapping.bootstrapServers.join(',') };
    const event = buildLambdaKafkaEvent(source, []);
    for (const record of records) (event.records[`${record.topic}-${record.partition}`] ??= []).push(record);
    return event;
  }

  private logInvocation(records: LambdaKafkaRecord[], ms: number, outcome: Outcome, retries: number, error?: string): void {
    const first = records[0];
    const last = records[records.length - 1];
    const attempt = retries > 0 ? ` retry ${retries}` : '';
    const detail = error ? `: ${error}` : '';
    this.deps.log(
      `${this.mapping.functionKey}: ${first.topic}-${first.partition} offsets ${first.offset}-${last.offset} (${records.length} records) ${ms} ms ${outcome}${attempt}${detail}`,
    );
  }
}

/** Batches of at most `size` records and MAX_PAYLOAD_BYTES of event, in order. */
export function chunksOf(records: LambdaKafkaRecord[], size: number): LambdaKafkaRecord[][] {
  const chunks: LambdaKafkaRecord[][] = [];
  let current: LambdaKafkaRecord[] = [];
  let bytes = 1024; // the event's envelope
  for (const record of records) {
    const recordBytes = JSON.stringify(record).length + 1;
    if (current.length > 0 && (current.length >= size || bytes + recordBytes > MAX_PAYLOAD_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 1024;
    }
    current.push(record);
    bytes += recordBytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
