// Emulates Lambda's Kafka event-source mapping for `sls offline`: consumes a topic from the local
// Kafka and invokes the function with the event AWS would build, committing offsets only after the
// records they cover were handled. The loop is thin: RecordBuffer decides what each invocation
// carries and how far to commit, delivery-decisions.ts what follows each invocation.
import { Kafka, logLevel, type Admin, type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { LambdaKafkaEvent, LambdaKafkaRecord } from '../../../contract/lambda-kafka-event';
import { ON_FAILURE_CONDITIONS, originalOf, toOnFailureRecord } from '../../mapping/on-failure-record';
import { openIdempotentProducer, publish } from '../../../functions/shared/producer';
import { isProducerStateLost } from '../../../functions/shared/renewed-producer';
import { isLoginRefusal } from '../../../functions/shared/renewed-login';
import { forgetSecrets, readCredentials } from '../../../functions/shared/secrets';
import { buildLambdaKafkaEvent, toLambdaKafkaRecord, type SourceRecord } from './build-lambda-kafka-event';
import { nextStep, splitByAge, type InvokeOutcome } from './delivery-decisions';
import { compileFilters, matchesAny } from './event-filter';
import type { EventSourceMapping } from '../../mapping/event-source-mapping';
import { MAX_PAYLOAD_BYTES, partitionKey, RecordBuffer } from './record-buffer';
import { RegistryDeserialiser } from './registry-deserialiser';

export type { InvokeOutcome };

export interface EmulatorDeps {
  invoke(functionName: string, event: LambdaKafkaEvent): Promise<InvokeOutcome>;
  log(line: string): void;
  now?: () => number;
  retryDelayMs?: (retry: number) => number;
}

/** Fetched-but-uncommitted records a partition may hold before its fetching pauses. */
const QUEUE_LIMIT_BATCHES = 4;

export class KafkaEventSourceEmulator {
  private kafka: Kafka | undefined;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private stopping = false;
  private readonly patterns;
  private readonly registry: RegistryDeserialiser | undefined;
  private readonly now: () => number;
  private readonly retryDelayMs: (retry: number) => number;
  private readonly buffer = new RecordBuffer();
  private readonly inFlight = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pump: Promise<void> | undefined;

  constructor(
    readonly mapping: EventSourceMapping,
    private readonly deps: EmulatorDeps,
  ) {
    this.patterns = compileFilters(mapping.filterPatterns);
    this.registry = mapping.schemaRegistry && new RegistryDeserialiser(mapping.schemaRegistry);
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
    await this.openConsumer();
    this.pump = this.dispatch();
    this.deps.log(
      `${mapping.functionKey}: consuming ${mapping.topic} as group ${mapping.consumerGroupId} (batch ${mapping.batchSize}, window ${mapping.maximumBatchingWindowMs} ms)`,
    );
  }

  /** Stops after the invocations in flight; what was handled is committed, the rest is redelivered next time. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.pump;
    await Promise.all(this.inFlight);
    await this.commit();
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  /**
   * The Kafka client, logged in with the mapping's SCRAM secret when it names one. The secret is read
   * when a client is made: after a refused login (a rotated password) `renewLogin` drops the client and
   * the cached secret, and the next consumer or producer logs in with what Secrets Manager holds now.
   */
  private async client(): Promise<Kafka> {
    if (this.kafka) return this.kafka;
    const { mapping } = this;
    const sasl = mapping.saslScram512SecretArn ? { mechanism: 'scram-sha-512' as const, ...(await readCredentials(mapping.saslScram512SecretArn)) } : undefined;
    this.kafka = new Kafka({ clientId: `esm-emulator-${mapping.functionKey}`, brokers: mapping.bootstrapServers, logLevel: logLevel.NOTHING, sasl });
    return this.kafka;
  }

  /** After a refused login: the next client reads the secret again. True when it was one. */
  private renewLogin(error: unknown): boolean {
    if (!isLoginRefusal(error)) return false;
    this.deps.log(`${this.mapping.functionKey}: Kafka refused the mapping's login; reading its secret again`);
    forgetSecrets();
    this.kafka = undefined;
    return true;
  }

  /** After Kafka refused the producer's sequence numbers: the next send opens a new producer. True when it did. */
  private producerStateLost(error: unknown): boolean {
    if (!isProducerStateLost(error)) return false;
    this.deps.log(`${this.mapping.functionKey}: Kafka refused the on-failure producer's sequence numbers; opening a new producer`);
    return true;
  }

  private async openConsumer(): Promise<void> {
    const { mapping } = this;
    const consumer = (await this.client()).consumer({
      groupId: mapping.consumerGroupId,
      // Fetches return what is there; the buffer, not the fetch, waits out the batching window.
      maxWaitTimeInMs: Math.max(10, Math.min(mapping.maximumBatchingWindowMs, 250)),
      maxBytesPerPartition: MAX_PAYLOAD_BYTES,
      // KafkaJS finds the group's coordinator only when the consumer joins, and retries a failed
      // request against the broker it already has. Retrying without end, a consumer whose coordinator
      // died consumed nothing until that broker came back. Bounded, the retries run out in seconds;
      // KafkaJS then restarts the consumer (the error is retriable), and it joins the new coordinator.
      retry: { retries: 5, maxRetryTime: 5000 },
    });
    this.consumer = consumer;
    // A rebalance (or a broker restart) redelivers from the committed offsets: forget what was fetched.
    consumer.on(consumer.events.GROUP_JOIN, () => this.buffer.clear());
    // KafkaJS restarts a crashed consumer only when the error is retriable; after any other it stays
    // stopped, and the mapping would silently consume nothing more. AWS's pollers do not give up on a
    // broker failure, so neither does this: a new consumer resumes from the committed offsets.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopping || consumer !== this.consumer) return;
      if (!payload.restart) void this.replaceConsumer(payload.error);
      else
        this.deps.log(
          `${mapping.functionKey}: the ${mapping.topic} consumer lost its broker (${payload.error.message}); KafkaJS restarts it from the committed offsets`,
        );
    });
    await consumer.connect();
    await consumer.subscribe({ topic: mapping.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 16,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  private async replaceConsumer(error: Error): Promise<void> {
    const { functionKey, topic } = this.mapping;
    this.deps.log(`${functionKey}: the ${topic} consumer stopped (${error.name}: ${error.message}); starting a new one from the committed offsets`);
    this.buffer.clear();
    this.renewLogin(error);
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.openConsumer();
        this.deps.log(`${functionKey}: consuming ${topic} again`);
        return;
      } catch (failure) {
        this.deps.log(`${functionKey}: a new ${topic} consumer could not start (${(failure as Error).message}); trying again`);
        this.renewLogin(failure);
        await this.consumer?.disconnect().catch(() => undefined);
        await sleep(this.retryDelayMs(attempt));
      }
    }
  }

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
    const admin: Admin = (await this.client()).admin();
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

  /** Buffers a fetched batch and lets Kafka fetch on; pauses a partition whose buffer is full. */
  private async onBatch({ batch, heartbeat, isRunning, resolveOffset }: EachBatchPayload): Promise<void> {
    if (this.stopping || batch.messages.length === 0) return;
    const sources: SourceRecord[] = batch.messages.map((message) => ({
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      timestamp: message.timestamp,
      key: message.key,
      value: message.value,
      headers: message.headers,
    }));
    const deliverable = await this.validated(sources, heartbeat, isRunning);
    if (!deliverable) return;
    // Filters see the record as the function would: deserialised, when the mapping has a registry.
    this.buffer.add(deliverable.records, (record) => !deliverable.failed.has(record) && matchesAny(record, this.patterns), this.now());
    // Resolving moves the fetch position only; offsets are committed after the records are handled.
    resolveOffset(batch.lastOffset());
    this.wake();
    // Records filtered out or dead-lettered at the head of a partition are handled already: committed
    // now, not with the partition's next invocation, which may never come (a tail that matches no
    // filter would otherwise show as lag until a matching record arrived).
    await this.commit();
    while (this.buffer.queued(batch) > this.mapping.batchSize * QUEUE_LIMIT_BATCHES && !this.stopping && isRunning()) {
      await sleep(50);
      await heartbeat();
    }
  }

  /**
   * The records as the mapping delivers them, built from the bytes Kafka gave; with a schema registry,
   * deserialised, and those that failed validation
   * (already sent to the on-failure destination: the buffer only commits past them). While the
   * registry does not answer, the partition waits and asks again: no record is lost or dead-lettered
   * for the registry's fault. Undefined when stopping interrupted the wait.
   */
  private async validated(
    sources: SourceRecord[],
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
  ): Promise<{ records: LambdaKafkaRecord[]; failed: Set<LambdaKafkaRecord> } | undefined> {
    const { registry } = this;
    if (!registry) return { records: sources.map(toLambdaKafkaRecord), failed: new Set() };
    const deserialised = await this.untilDone(
      () => registry.deserialiseAll(sources),
      (error) => `the schema registry did not answer (${error.message}); holding ${sources.length} record(s) and asking again`,
      heartbeat,
      isRunning,
    );
    if (!deserialised) return undefined;
    const results = deserialised.value;
    const failures = results.filter((result) => !result.ok);
    const byReason = new Map<string, LambdaKafkaRecord[]>();
    for (const failure of failures) if (!failure.ok) byReason.set(failure.reason, [...(byReason.get(failure.reason) ?? []), failure.record]);
    for (const [reason, group] of byReason) {
      const sent = await this.untilDone(
        () => this.giveUp(group, 'schema-validation-failed', 0, reason),
        (error) =>
          `${group.length} record(s) that failed the registry's validation could not be sent to ${this.mapping.onFailureTopic} (${error.message}); trying again`,
        heartbeat,
        isRunning,
      );
      if (!sent) return undefined;
    }
    return { records: results.map((result) => result.record), failed: new Set(failures.map((failure) => failure.record)) };
  }

  /**
   * Runs `work` until it succeeds, saying why each time it failed (the first and every tenth), backing
   * off and keeping the group's heartbeat. Undefined when stopping interrupted it: the partition waits
   * rather than loses or commits what it holds.
   */
  private async untilDone<T>(
    work: () => Promise<T>,
    why: (error: Error) => string,
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
  ): Promise<{ value: T } | undefined> {
    for (let attempt = 1; ; attempt++) {
      if (this.stopping || !isRunning()) return undefined;
      try {
        return { value: await work() };
      } catch (error) {
        if (attempt === 1 || attempt % 10 === 0) this.deps.log(`${this.mapping.functionKey}: ${why(error as Error)}`);
        await sleep(this.retryDelayMs(Math.min(attempt, 5)));
        await heartbeat();
      }
    }
  }

  /** The dispatch loop: invoke what the buffer says is ready, wait for what it says is not. */
  private async dispatch(): Promise<void> {
    const limits = { batchSize: this.mapping.batchSize, windowMs: this.mapping.maximumBatchingWindowMs, maxBytes: MAX_PAYLOAD_BYTES };
    while (!this.stopping) {
      const next = this.buffer.next(limits, this.now());
      if ('invoke' in next) {
        const records = next.invoke;
        const delivery = this.deliverAll(records)
          .catch(async (error: Error) => {
            // Say so and try these records again shortly, rather than lose or commit them.
            this.deps.log(`${this.mapping.functionKey}: delivery failed (${error.message}); retrying`);
            this.buffer.release(records);
            await sleep(this.retryDelayMs(1));
          })
          .finally(() => {
            this.inFlight.delete(delivery);
            this.wake();
          });
        this.inFlight.add(delivery);
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        if ('waitMs' in next) this.timer = setTimeout(resolve, next.waitMs);
      });
      clearTimeout(this.timer);
    }
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  private async deliverAll(records: LambdaKafkaRecord[]): Promise<void> {
    if (await this.deliver(records, 0)) {
      this.buffer.complete(records);
      await this.commit();
    } else {
      this.buffer.release(records);
    }
  }

  private async commit(): Promise<void> {
    const commits = this.buffer.takeCommits();
    if (commits.length === 0 || !this.consumer) return;
    try {
      await this.consumer.commitOffsets(commits);
    } catch (error) {
      // The partitions moved in a rebalance: their records are redelivered from the last commit.
      this.deps.log(`${this.mapping.functionKey}: commit failed (${(error as Error).message}); those records will be redelivered`);
    }
  }

  /**
   * Invokes until the records succeed, are split, or are given up on (sent to the on-failure
   * destination). Returns false when stopping interrupted it: nothing may then be committed.
   */
  private async deliver(records: LambdaKafkaRecord[], retriesUsed: number): Promise<boolean> {
    const { mapping } = this;
    let pending = records;
    for (let retries = retriesUsed; ; retries++) {
      if (this.stopping) return false;
      const { expired, fresh } = splitByAge(pending, this.now(), mapping.maximumRecordAgeInSeconds);
      if (expired.length > 0) {
        await this.giveUp(expired, 'record-age-exceeded', retries, `older than maximumRecordAgeInSeconds (${mapping.maximumRecordAgeInSeconds})`);
        pending = fresh;
        if (pending.length === 0) return true;
      }

      const started = this.now();
      const event = this.eventOf(pending);
      const outcome = await this.deps.invoke(mapping.functionName, event);
      const step = nextStep(pending, outcome, retries, mapping);
      const result = step.step === 'done' ? 'ok' : outcome.ok ? 'partial' : 'error';
      this.logInvocation(event, pending.length, this.now() - started, result, retries, outcome.ok ? undefined : outcome.error);
      switch (step.step) {
        case 'done':
          return true;
        case 'bisect':
          return (await this.deliver(step.halves[0], retries)) && this.deliver(step.halves[1], retries);
        case 'give-up':
          await this.giveUp(step.records, step.reason, retries + 1, step.detail);
          return true;
        case 'retry':
          pending = step.records;
          await sleep(this.retryDelayMs(retries + 1));
      }
    }
  }

  /** Sends each record to the on-failure destination as AWS does: its own message, keyed as the original. */
  private async giveUp(records: LambdaKafkaRecord[], reason: keyof typeof ON_FAILURE_CONDITIONS, invokeCount: number, detail: string): Promise<void> {
    const { mapping } = this;
    if (!mapping.onFailureTopic) {
      this.deps.log(`${mapping.functionKey}: dropped ${records.length} record(s) (${reason}: ${detail}; no onFailureDestination)`);
      return;
    }
    this.producer ??= await openIdempotentProducer(await this.client());
    const { eventSource, eventSourceArn, bootstrapServers = '' } = this.eventOf([]);
    const giveUp = {
      condition: ON_FAILURE_CONDITIONS[reason],
      requestId: randomUUID(),
      functionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:function:${mapping.functionName}:$LATEST`,
      invokeCount,
      source: { eventSource, eventSourceArn, bootstrapServers },
      now: new Date(this.now()),
    };
    try {
      await publish(
        this.producer,
        mapping.onFailureTopic,
        records.map((record) => {
          const failure = toOnFailureRecord(record, giveUp);
          return { key: originalOf(failure).key, value: JSON.stringify(failure) };
        }),
      );
    } catch (error) {
      // Tried again by the caller; after a refused login, on a producer that logs in anew; after the
      // producer's state was lost, on a new producer (KafkaJS never mends it: renewed-producer.ts).
      if (this.renewLogin(error) || this.producerStateLost(error)) {
        const stale = this.producer;
        this.producer = undefined;
        await stale.disconnect().catch(() => undefined);
      }
      throw error;
    }
    this.deps.log(`${mapping.functionKey}: sent ${records.length} record(s) to ${mapping.onFailureTopic} (${reason}: ${detail})`);
  }

  private eventOf(records: LambdaKafkaRecord[]): LambdaKafkaEvent {
    const { mapping } = this;
    const source =
      mapping.source === 'msk'
        ? { kind: 'msk' as const, eventSourceArn: mapping.eventSourceArn ?? '', bootstrapServers: mapping.bootstrapServers.join(',') }
        : { kind: 'kafka' as const, bootstrapServers: mapping.bootstrapServers.join(',') };
    const event = buildLambdaKafkaEvent(source, []);
    // A batch holds runs of one partition's records: its key is built once a run, not once a record.
    let group: LambdaKafkaRecord[] = [];
    let last: LambdaKafkaRecord | undefined;
    for (const record of records) {
      if (!last || record.partition !== last.partition || record.topic !== last.topic) group = event.records[partitionKey(record)] ??= [];
      group.push(record);
      last = record;
    }
    return event;
  }

  private logInvocation(event: LambdaKafkaEvent, records: number, ms: number, outcome: 'ok' | 'partial' | 'error', retries: number, error?: string): void {
    const ranges = Object.values(event.records).map((batch) => `${partitionKey(batch[0])} offsets ${batch[0].offset}-${batch[batch.length - 1].offset}`);
    const attempt = retries > 0 ? ` retry ${retries}` : '';
    const detail = error ? `: ${error}` : '';
    this.deps.log(`${this.mapping.functionKey}: ${ranges.join(', ')} (${records} records) ${ms} ms ${outcome}${attempt}${detail}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
