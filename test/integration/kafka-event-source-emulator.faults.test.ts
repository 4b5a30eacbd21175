import { randomUUID } from 'node:crypto';
import { KafkaJSNonRetriableError, type Kafka } from 'kafkajs';
import type { LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { LocalStack } from '../../infra/local/stack/local-stack';
import { KafkaEventSourceEmulator } from '../../infra/local/kafka-emulator/kafka-event-source-emulator';
import { RecordBuffer } from '../../infra/local/kafka-emulator/record-buffer';
import { mappingFor } from '../support/emulator-mapping';
import { drill } from '../support/drill';
import { testKafka } from '../support/services';
import { createTopicsWithLeaders } from '../../infra/local/stack/topics-with-leaders';

const stack = new LocalStack(undefined, () => undefined);

/** A topic of one partition, of this test's own. */
async function oneTopic(kafka: Kafka, prefix: string): Promise<string> {
  const topic = `${prefix}-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsWithLeaders(admin, [{ topic, numPartitions: 1 }]);
  await admin.disconnect();
  return topic;
}

drill(stack.kafka.process, 'Kafka')('the Kafka event-source emulator when the broker restarts', () => {
  it('keeps consuming after the restart and loses nothing', async () => {
    const kafka = testKafka();
    const topic = await oneTopic(kafka, 'esm-restart');

    const seen = new Set<string>();
    const emulator = new KafkaEventSourceEmulator(mappingFor(topic, { batchSize: 10 }), {
      invoke: async (_name, event: LambdaKafkaEvent) => {
        for (const record of Object.values(event.records).flat()) seen.add(Buffer.from(record.value!, 'base64').toString());
        return { ok: true, response: null };
      },
      log: () => undefined,
    });
    const produce = async (values: string[]) => {
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, messages: values.map((value) => ({ value })) });
      await producer.disconnect();
    };
    const eventually = async (check: () => boolean) => {
      const deadline = Date.now() + 60_000;
      while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(check()).toBe(true);
    };

    await emulator.start();
    try {
      await produce(['before-1', 'before-2']);
      await eventually(() => seen.size === 2);
      await stack.kafka.process.stop();
      await stack.up();
      await produce(['after-1', 'after-2']);
      await eventually(() => seen.size === 4);
      expect([...seen].sort()).toEqual(['after-1', 'after-2', 'before-1', 'before-2']);
    } finally {
      await emulator.stop();
    }
  }, 150_000);
});

describe('the Kafka event-source emulator when its KafkaJS consumer crashes for good', () => {
  it('starts a new consumer from the committed offsets, says so, and loses nothing', async () => {
    const kafka = testKafka();
    const topic = await oneTopic(kafka, 'esm-crash');

    const seen: string[] = [];
    const logs: string[] = [];
    const emulator = new KafkaEventSourceEmulator(mappingFor(topic, { batchSize: 10 }), {
      invoke: async (_name, event: LambdaKafkaEvent) => {
        for (const record of Object.values(event.records).flat()) seen.push(Buffer.from(record.value!, 'base64').toString());
        return { ok: true, response: null };
      },
      log: (line) => logs.push(line),
    });
    // A non-retriable error inside the consumer's loop (as a broker failure's protocol errors can be):
    // KafkaJS crashes the consumer and does not restart it.
    const add = jest.spyOn(RecordBuffer.prototype, 'add').mockImplementationOnce(() => {
      throw new KafkaJSNonRetriableError('injected crash');
    });
    await emulator.start();
    try {
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }] });
      await producer.disconnect();
      const deadline = Date.now() + 60_000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen.sort()).toEqual(['one', 'two']);
      expect(add.mock.calls.length).toBeGreaterThan(1);
      expect(logs.join('\n')).toContain(
        `the ${topic} consumer stopped (KafkaJSNonRetriableError: injected crash); starting a new one from the committed offsets`,
      );
    } finally {
      add.mockRestore();
      await emulator.stop();
    }
  }, 90_000);
});
