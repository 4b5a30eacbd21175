import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { originalOf, parseOnFailureRecord } from '../../infra/mapping/on-failure-record';
import type { LambdaKafkaEvent, LambdaKafkaRecord } from '../../contract/lambda-kafka-event';
import type { EventSourceMapping } from '../../infra/mapping/event-source-mapping';
import { mappingFor } from '../support/emulator-mapping';
import { KafkaEventSourceEmulator, type InvokeOutcome } from '../../infra/local/kafka-emulator/kafka-event-source-emulator';
import { BROKERS, readSince, testKafka, topicEnd } from '../support/services';
import { frame } from '../../contract/wire-format';
import { stackSettings } from '../../infra/local/stack/stack-settings';
import { createTopicsWithLeaders } from '../../infra/local/stack/topics-with-leaders';

// The emulator against the real broker; the "function" is an in-process recorder whose answers each
// test scripts. test/e2e runs it inside sls offline.
const kafka: Kafka = testKafka();
let admin: Admin;
const running: KafkaEventSourceEmulator[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
});
afterAll(() => admin.disconnect());

async function freshTopic(partitions = 1): Promise<string> {
  const topic = `esm-test-${randomUUID().slice(0, 8)}`;
  await createTopicsWithLeaders(admin, [{ topic, numPartitions: partitions }]);
  return topic;
}

type Answer = (records: LambdaKafkaRecord[]) => InvokeOutcome;

class RecordingFunction {
  readonly events: LambdaKafkaEvent[] = [];
  constructor(private answer: Answer = () => ({ ok: true, response: null })) {}
  answerWith(answer: Answer): void {
    this.answer = answer;
  }
  get batches(): LambdaKafkaRecord[][] {
    return this.events.map((event) => Object.values(event.records).flat());
  }
  get values(): string[] {
    return this.batches.flat().map((record) => Buffer.from(record.value ?? '', 'base64').toString('utf8'));
  }
  invoke = async (_name: string, event: LambdaKafkaEvent): Promise<InvokeOutcome> => {
    this.events.push(event);
    return this.answer(Object.values(event.records).flat());
  };
}

async function startEmulator(mapping: EventSourceMapping, fn: RecordingFunction, logs: string[] = []): Promise<KafkaEventSourceEmulator> {
  const emulator = new KafkaEventSourceEmulator(mapping, { invoke: fn.invoke, log: (line) => logs.push(line), retryDelayMs: () => 50 });
  running.push(emulator);
  await emulator.start();
  return emulator;
}

async function produce(topic: string, values: Array<string | { value: string; partition?: number; key?: string; timestamp?: number }>): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: values.map((v) =>
      typeof v === 'string'
        ? { value: v, partition: 0, headers: { origin: 'test' } }
        : { value: v.value, key: v.key, partition: v.partition ?? 0, timestamp: v.timestamp === undefined ? undefined : String(v.timestamp) },
    ),
  });
  await producer.disconnect();
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function committed(groupId: string, topic: string): Promise<string[]> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return result.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset);
}

const values = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('KafkaEventSourceEmulator', () => {
  it('builds the self-managed Kafka event as AWS does: records by topic-partition, base64 value, byte-array headers', async () => {
    const topic = await freshTopic();
    await produce(topic, ['{"a":1}']);
    const fn = new RecordingFunction();
    await startEmulator(mappingFor(topic), fn);
    await eventually(() => fn.events.length === 1);
    const [event] = fn.events;
    expect(event).toMatchObject({ eventSource: 'SelfManagedKafka', bootstrapServers: BROKERS.join(',') });
    expect(event.eventSourceArn).toBeUndefined();
    const [record] = event.records[`${topic}-0`];
    expect(record).toMatchObject({ topic, partition: 0, offset: 0, timestampType: 'CREATE_TIME', value: Buffer.from('{"a":1}').toString('base64') });
    expect(record.key).toBeUndefined();
    expect(record.headers).toEqual([{ origin: [...Buffer.from('test')] }]);
    expect(typeof record.timestamp).toBe('number');
  });

  it('hands the function plain JSON data, what parsing the JSON AWS sends would give it: no undefined field, no Buffer', async () => {
    // sls offline passes the event object to the function's worker thread without JSON in between.
    const topic = await freshTopic();
    await produce(topic, ['{"a":1}', { value: 'keyed', key: 'k1', partition: 0 }]);
    const fn = new RecordingFunction();
    await startEmulator(mappingFor(topic), fn);
    await eventually(() => fn.batches.flat().length === 2);
    for (const event of fn.events) expect(JSON.parse(JSON.stringify(event))).toStrictEqual(event);
  });

  it('builds the MSK event with its eventSourceArn', async () => {
    const topic = await freshTopic();
    await produce(topic, ['x']);
    const fn = new RecordingFunction();
    await startEmulator(mappingFor(topic, { source: 'msk', eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/users/abc' }), fn);
    await eventually(() => fn.events.length === 1);
    expect(fn.events[0]).toMatchObject({ eventSource: 'aws:kafka', eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/users/abc' });
  });

  it('invokes with batches of at most batchSize records', async () => {
    const topic = await freshTopic();
    await produce(topic, values(10));
    const fn = new RecordingFunction();
    await startEmulator(mappingFor(topic, { batchSize: 4 }), fn);
    await eventually(() => fn.values.length === 10);
    expect(fn.batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(fn.values).toEqual(values(10));
  });

  it('waits up to maximumBatchingWindow to gather records into one batch', async () => {
    const topic = await freshTopic();
    const fn = new RecordingFunction();
    await startEmulator(mappingFor(topic, { maximumBatchingWindowMs: 3000 }), fn);
    for (const value of values(3)) {
      await produce(topic, [value]);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await eventually(() => fn.values.length === 3);
    expect(fn.batches.map((b) => b.length)).toEqual([3]);
  });

  it('invokes a full batch at once, without waiting for the batching window', async () => {
    const topic = await freshTopic();
    const fn = new RecordingFunction();
    // A minute's window: only a full batch can be invoked within this test's 15 s.
    await startEmulator(mappingFor(topic, { batchSize: 5, maximumBatchingWindowMs: 60_000 }), fn);
    await produce(topic, values(7));
    await eventually(() => fn.events.length === 1);
    expect(fn.values).toEqual(values(5));
  });

  it('carries records of several partitions in one invocation, keyed topic-partition, each in offset order', async () => {
    const topic = await freshTopic(3);
    await produce(
      topic,
      [0, 1, 2].flatMap((partition) => [0, 1].map((i) => ({ value: `p${partition}-${i}`, partition }))),
    );
    const fn = new RecordingFunction();
    const mapping = mappingFor(topic, { batchSize: 10, maximumBatchingWindowMs: 1500 });
    await startEmulator(mapping, fn);
    await eventually(() => fn.values.length === 6);
    expect(fn.events).toHaveLength(1);
    const [event] = fn.events;
    expect(Object.keys(event.records).sort()).toEqual([`${topic}-0`, `${topic}-1`, `${topic}-2`]);
    for (const [key, records] of Object.entries(event.records)) {
      expect(records.map((r) => `${key}:${r.offset}`)).toEqual([`${key}:0`, `${key}:1`]);
    }
    await eventually(async () => (await committed(mapping.consumerGroupId, topic)).join() === '2,2,2');
  });

  it('retries only the failed partition of a multi-partition batch, and commits the others', async () => {
    const topic = await freshTopic(2);
    await produce(
      topic,
      [0, 1].flatMap((partition) => [0, 1, 2].map((i) => ({ value: `p${partition}-${i}`, partition }))),
    );
    const fn: RecordingFunction = new RecordingFunction((records): InvokeOutcome =>
      fn.events.length === 1
        ? {
            ok: true,
            response: { batchItemFailures: [{ itemIdentifier: { partition: `${topic}-1`, offset: records.find((r) => r.partition === 1)!.offset + 1 } }] },
          }
        : { ok: true, response: null },
    );
    const mapping = mappingFor(topic, { batchSize: 10, maximumBatchingWindowMs: 1500, reportBatchItemFailures: true });
    await startEmulator(mapping, fn);
    await eventually(() => fn.events.length === 2);
    expect(fn.batches[1].map((r) => `${r.partition}:${r.offset}`)).toEqual(['1:1', '1:2']);
    await eventually(async () => (await committed(mapping.consumerGroupId, topic)).join() === '3,3');
  });

  it('starts a new group at TRIM_HORIZON from the oldest record', async () => {
    const topic = await freshTopic();
    await produce(topic, values(2, 'old'));
    const fn = new RecordingFunction();
    await startEmulator(mappingFor(topic, { startingPosition: 'TRIM_HORIZON' }), fn);
    await eventually(() => fn.values.length === 2);
    expect(fn.values).toEqual(['old0', 'old1']);
  });

  it('starts a new group at LATEST after the records already there', async () => {
    const topic = await freshTopic();
    await produce(topic, values(2, 'old'));
    const fn = new RecordingFunction();
    await startEmulator(mappingFor(topic, { startingPosition: 'LATEST' }), fn);
    await produce(topic, ['new0']);
    await eventually(() => fn.values.length >= 1);
    expect(fn.values).toEqual(['new0']);
  });

  it('starts a new group AT_TIMESTAMP from the first record at or after it', async () => {
    const topic = await freshTopic();
    const now = Date.now();
    await produce(topic, [
      { value: 'hour-ago', timestamp: now - 3_600_000 },
      { value: 'minute-ago', timestamp: now - 60_000 },
    ]);
    const fn = new RecordingFunction();
    await startEmulator(mappingFor(topic, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: (now - 600_000) / 1000 }), fn);
    await eventually(() => fn.values.length >= 1);
    expect(fn.values).toEqual(['minute-ago']);
  });

  it('resumes from the committed offset, whatever the starting position says', async () => {
    const topic = await freshTopic();
    await produce(topic, values(3));
    const mapping = mappingFor(topic);
    const first = new RecordingFunction();
    const emulator = await startEmulator(mapping, first);
    await eventually(() => first.values.length === 3);
    await emulator.stop();
    await produce(topic, ['after-restart']);
    const second = new RecordingFunction();
    await startEmulator(mapping, second);
    await eventually(() => second.values.length >= 1);
    expect(second.values).toEqual(['after-restart']);
  });

  it('skips and commits records that match no filter pattern', async () => {
    const topic = await freshTopic();
    await produce(topic, ['{"gender":"female","n":1}', '{"gender":"male","n":2}', 'not json', '{"gender":"female","n":3}']);
    const fn = new RecordingFunction();
    // As osls takes it in serverless.yml, read through the same mappingsOf as sls offline.
    const mapping = mappingFor(topic, {}, { filterPatterns: [{ value: { gender: ['female'] } }] });
    await startEmulator(mapping, fn);
    await eventually(() => fn.values.length === 2);
    expect(fn.values.map((v) => JSON.parse(v).n)).toEqual([1, 3]);
    await eventually(async () => (await committed(mapping.consumerGroupId, topic))[0] === '4');
  });

  it('commits records that match no filter pattern without waiting for an invocation', async () => {
    const topic = await freshTopic();
    await produce(topic, ['{"gender":"male","n":1}', '{"gender":"male","n":2}']);
    const fn = new RecordingFunction();
    const mapping = mappingFor(topic, {}, { filterPatterns: [{ value: { gender: ['female'] } }] });
    await startEmulator(mapping, fn);
    await eventually(async () => (await committed(mapping.consumerGroupId, topic))[0] === '2');
    expect(fn.events).toEqual([]);
  });

  it('retries from the lowest offset reported in batchItemFailures, committing what came before', async () => {
    const topic = await freshTopic();
    await produce(topic, values(5));
    let calls = 0;
    const fn = new RecordingFunction(() => {
      calls += 1;
      return calls === 1
        ? {
            ok: true,
            response: {
              batchItemFailures: [{ itemIdentifier: { partition: `${topic}-0`, offset: 3 } }, { itemIdentifier: { partition: `${topic}-0`, offset: 2 } }],
            },
          }
        : { ok: true, response: { batchItemFailures: [] } };
    });
    const mapping = mappingFor(topic, { reportBatchItemFailures: true });
    await startEmulator(mapping, fn);
    await eventually(() => fn.events.length === 2);
    expect(fn.batches.map((b) => b.map((r) => r.offset))).toEqual([
      [0, 1, 2, 3, 4],
      [2, 3, 4],
    ]);
    await eventually(async () => (await committed(mapping.consumerGroupId, topic))[0] === '5');
  });

  it('ignores batchItemFailures when ReportBatchItemFailures is not enabled', async () => {
    const topic = await freshTopic();
    await produce(topic, values(2));
    const fn = new RecordingFunction(() => ({ ok: true, response: { batchItemFailures: [{ itemIdentifier: { partition: `${topic}-0`, offset: 0 } }] } }));
    await startEmulator(mappingFor(topic), fn);
    await eventually(() => fn.events.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fn.events).toHaveLength(1);
  });

  it('retries a failed batch until it succeeds', async () => {
    const topic = await freshTopic();
    await produce(topic, values(2));
    let calls = 0;
    const fn = new RecordingFunction(() => (++calls < 3 ? { ok: false, error: 'boom' } : { ok: true, response: null }));
    const logs: string[] = [];
    await startEmulator(mappingFor(topic), fn, logs);
    await eventually(() => fn.events.length === 3);
    expect(fn.batches.map((b) => b.length)).toEqual([2, 2, 2]);
    expect(logs.join('\n')).toMatch(/offsets 0-1 \(2 records\) \d+ ms error: boom/);
    expect(logs.join('\n')).toMatch(/offsets 0-1 \(2 records\) \d+ ms ok retry 2/);
  });

  /** The on-failure records on the destination, read back as AWS's format says (docs/emulator.md). */
  const onFailure = (messages: Array<{ key: string | null; value: Buffer | null }>) =>
    messages.map((message) => {
      const failure = parseOnFailureRecord(message.value);
      if (!failure) throw new Error(`not an on-failure record: ${message.value?.toString().slice(0, 80)}`);
      return { key: message.key, failure, original: originalOf(failure) };
    });

  it('after maximumRetryAttempts sends each record to the on-failure destination as AWS’s on-failure record, keyed as the original, and moves on', async () => {
    const topic = await freshTopic();
    const destination = await freshTopic();
    await produce(topic, values(2));
    const fn = new RecordingFunction(() => ({ ok: false, error: 'Cassandra is down' }));
    const mapping = mappingFor(topic, { maximumRetryAttempts: 2, onFailureTopic: destination });
    const from = await topicEnd(kafka, destination);
    await startEmulator(mapping, fn);
    const failed = await readSince(kafka, destination, from, 2);
    expect(fn.events).toHaveLength(3);
    const records = onFailure(failed);
    expect(records.map((r) => r.original.value?.toString())).toEqual(['r0', 'r1']);
    expect(records.map((r) => r.key)).toEqual(failed.map((m) => m.key));
    expect(records[0].failure.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    expect(records[0].failure.KafkaBatchInfo).toMatchObject({ batchSize: 1, recordInfo: { offset: '0' } });
    expect(records[0].failure.payload.eventSource).toBe('SelfManagedKafka');
    expect(records[0].original.record).toMatchObject({ topic, partition: 0, offset: 0 });
    expect(records[0].original.headers.origin?.toString()).toBe('test');
    await eventually(async () => (await committed(mapping.consumerGroupId, topic))[0] === '2');
  });

  it('splits a failing batch in two until the bad record is isolated', async () => {
    const topic = await freshTopic();
    const destination = await freshTopic();
    await produce(topic, ['ok0', 'ok1', 'bad', 'ok3']);
    const fn = new RecordingFunction((records) => {
      const bad = records.some((r) => Buffer.from(r.value!, 'base64').toString() === 'bad');
      return bad ? { ok: false, error: 'bad record' } : { ok: true, response: null };
    });
    const from = await topicEnd(kafka, destination);
    await startEmulator(mappingFor(topic, { bisectBatchOnFunctionError: true, maximumRetryAttempts: 0, onFailureTopic: destination }), fn);
    const failed = await readSince(kafka, destination, from, 1);
    expect(onFailure(failed).map((r) => r.original.value?.toString())).toEqual(['bad']);
    await eventually(() => fn.values.includes('ok3'));
    expect(fn.batches.map((b) => b.map((r) => r.offset))).toEqual([[0, 1, 2, 3], [0, 1], [2, 3], [2], [3]]);
  });

  it('never delivers records older than maximumRecordAgeInSeconds, sending them to the destination', async () => {
    const topic = await freshTopic();
    const destination = await freshTopic();
    await produce(topic, [
      { value: 'stale', timestamp: Date.now() - 7_200_000 },
      { value: 'fresh', timestamp: Date.now() },
    ]);
    const fn = new RecordingFunction();
    const from = await topicEnd(kafka, destination);
    await startEmulator(mappingFor(topic, { maximumRecordAgeInSeconds: 60, onFailureTopic: destination }), fn);
    const failed = await readSince(kafka, destination, from, 1);
    expect(onFailure(failed).map((r) => [r.failure.requestContext.condition, r.original.value?.toString()])).toEqual([['RecordAgeExceeded', 'stale']]);
    await eventually(() => fn.values.length === 1);
    expect(fn.values).toEqual(['fresh']);
  });

  it('keeps each partition in offset order', async () => {
    const topic = await freshTopic(3);
    const records = Array.from({ length: 60 }, (_, i) => ({ value: `m${i}`, partition: i % 3 }));
    const fn = new RecordingFunction();
    await startEmulator(mappingFor(topic, { batchSize: 7 }), fn);
    for (let i = 0; i < records.length; i += 10) await produce(topic, records.slice(i, i + 10));
    await eventually(() => fn.values.length === 60);
    for (const partition of [0, 1, 2]) {
      const offsets = fn.batches
        .flat()
        .filter((r) => r.partition === partition)
        .map((r) => r.offset);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      expect(new Set(offsets).size).toBe(20);
    }
  });

  it('commits nothing until the records succeed: stopped mid-retry, the next run gets them again', async () => {
    const topic = await freshTopic();
    await produce(topic, values(2));
    const mapping = mappingFor(topic);
    const failing = new RecordingFunction(() => ({ ok: false, error: 'down' }));
    const emulator = await startEmulator(mapping, failing);
    await eventually(() => failing.events.length >= 2);
    await emulator.stop();
    expect(await committed(mapping.consumerGroupId, topic)).toEqual(['0']);
    const healthy = new RecordingFunction();
    await startEmulator(mapping, healthy);
    await eventually(() => healthy.values.length === 2);
    expect(healthy.values).toEqual(values(2));
  });

  it('holds a record that failed the registry until its dead letter is sent, and says it was the dead-letter topic that failed', async () => {
    const topic = await freshTopic();
    // Not created yet: the broker creates no topic on its own, so the first dead letters cannot be sent.
    const onFailureTopic = `${topic}.dlq`;
    const producer = kafka.producer();
    await producer.connect();
    // A schema id the registry does not have: the record fails validation and is the destination's.
    await producer.send({ topic, messages: [{ key: 'stray', value: frame(2_000_000_000, Buffer.from('not avro')) }] });
    await producer.disconnect();
    const logs: string[] = [];
    const fn = new RecordingFunction();
    const schemaRegistry = { uri: stackSettings().schemaRegistry.url, eventRecordFormat: 'JSON' as const, validate: ['VALUE' as const], accessConfigs: [] };
    const mapping = mappingFor(topic, { onFailureTopic, schemaRegistry });
    const emulator = await startEmulator(mapping, fn, logs);
    await eventually(() => logs.some((line) => line.includes(`could not be sent to ${onFailureTopic}`)), 90_000);
    expect(logs.filter((line) => line.includes('schema registry did not answer'))).toEqual([]);
    // Positioned at the start, and not moved past the record held.
    expect(await committed(mapping.consumerGroupId, topic)).toEqual(['0']);

    await createTopicsWithLeaders(admin, [{ topic: onFailureTopic, numPartitions: 1 }]);
    const [dead] = await readSince(kafka, onFailureTopic, [{ partition: 0, offset: '0' }], 1, 60_000);
    expect(dead.key).toBe('stray');
    expect(parseOnFailureRecord(dead.value)?.requestContext.condition).toBe('SchemaValidationFailed');
    // Past it once sent (skipped records are committed with the next invocation's offsets, or on stopping).
    await emulator.stop();
    expect(await committed(mapping.consumerGroupId, topic)).toEqual(['1']);
    expect(fn.events).toHaveLength(0);
    await admin.deleteTopics({ topics: [onFailureTopic] }).catch(() => undefined);
  }, 180_000);

  it('does nothing for a disabled mapping', async () => {
    const topic = await freshTopic();
    await produce(topic, values(1));
    const fn = new RecordingFunction();
    const logs: string[] = [];
    await startEmulator(mappingFor(topic, { enabled: false }), fn, logs);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(fn.events).toHaveLength(0);
    expect(logs.join()).toContain('disabled');
  });
});
