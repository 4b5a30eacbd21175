import { Kafka, logLevel } from 'kafkajs';
import { LazyConnection } from '../../functions/shared/lazy-connection';
import type { Log } from '../../functions/shared/observability';
import { openIdempotentProducer, publish, type Producer } from '../../functions/shared/producer';
import { isProducerStateLost, withRenewedProducer } from '../../functions/shared/renewed-producer';
import { AnswerDroppingProxy } from '../support/answer-dropping-proxy';
import { BROKERS, readSince, testKafka } from '../support/services';
import { createTopicsWithLeaders } from '../../infra/local/stack/topics-with-leaders';

const kafka = testKafka();
const [host, port] = BROKERS[0].split(':');
let proxy: AnswerDroppingProxy;
let relayed: Kafka;
const opened: Producer[] = [];

beforeEach(async () => {
  proxy = new AnswerDroppingProxy({ host, port: Number(port) });
  await proxy.start();
  // Short, so that a send whose answer never comes fails within seconds (two attempts).
  relayed = new Kafka({
    clientId: 'renewed-producer-test',
    brokers: [BROKERS[0]],
    logLevel: logLevel.NOTHING,
    requestTimeout: 2000,
    retry: { retries: 1, initialRetryTime: 100 },
    socketFactory: proxy.socketFactory(),
  });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((producer) => producer.disconnect().catch(() => undefined)));
  await proxy.stop();
});

async function freshTopic(): Promise<string> {
  const topic = `renewed-producer-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsWithLeaders(admin, [{ topic, numPartitions: 1 }]);
  await admin.disconnect();
  return topic;
}

async function openProducer(): Promise<Producer> {
  const producer = await openIdempotentProducer(relayed);
  opened.push(producer);
  return producer;
}

/**
 * A producer that wrote `v0`, then sent `v1` and `v2` and never heard back, though the broker wrote
 * them: what a broker killed between writing a batch and answering it leaves behind.
 */
async function producerAfterUnansweredWrite(topic: string): Promise<Producer> {
  const producer = await openProducer();
  await publish(producer, topic, [{ key: 'k', value: 'v0' }]);
  proxy.dropping = true;
  await expect(
    publish(producer, topic, [
      { key: 'k', value: 'v1' },
      { key: 'k', value: 'v2' },
    ]),
  ).rejects.toThrow(/timed out/);
  proxy.dropping = false;
  return producer;
}

async function valuesOf(topic: string, count: number): Promise<string[]> {
  // One more than expected: a copy too many would be read within the wait.
  const messages = await readSince(kafka, topic, [{ partition: 0, offset: '0' }], count + 1, 5_000);
  return messages.map((message) => message.value!.toString('utf8'));
}

describe('an idempotent producer whose numbering Kafka refuses (against the real broker)', () => {
  it('is refused every send after a send the broker wrote but never answered: KafkaJS does not mend it (kafkajs#598)', async () => {
    const topic = await freshTopic();
    const producer = await producerAfterUnansweredWrite(topic);
    for (const value of ['after-1', 'after-2']) {
      const refusal = await publish(producer, topic, [{ key: 'k', value }]).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toMatchObject({ name: 'KafkaJSProtocolError', type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
      expect(isProducerStateLost(refusal)).toBe(true);
    }
    expect(await valuesOf(topic, 3)).toEqual(['v0', 'v1', 'v2']);
  }, 60_000);

  it('withRenewedProducer drops it, opens a new producer, writes the record once, and says so', async () => {
    const topic = await freshTopic();
    let opens = 0;
    const closed: Producer[] = [];
    const connection = new LazyConnection<Producer>(
      async () => (++opens === 1 ? producerAfterUnansweredWrite(topic) : openProducer()),
      async (producer) => {
        closed.push(producer);
        await producer.disconnect();
      },
    );
    const warnings: Array<{ message: string; extra: Record<string, unknown>[] }> = [];
    const logger: Log = { info: () => undefined, error: () => undefined, warn: (message, ...extra) => warnings.push({ message, extra }) };

    await expect(withRenewedProducer(connection, (producer) => publish(producer, topic, [{ key: 'k', value: 'after' }]), logger)).resolves.toHaveLength(1);

    expect(opens).toBe(2);
    expect(closed).toEqual([opened[0]]);
    expect(warnings).toEqual([
      {
        message: "Kafka refused the producer's sequence numbers; opening a new producer and sending once more",
        extra: [{ error: expect.stringContaining('out of order sequence number') }],
      },
    ]);
    expect(await valuesOf(topic, 4)).toEqual(['v0', 'v1', 'v2', 'after']);
    // The new producer keeps working.
    await publish(await connection.get(), topic, [{ key: 'k', value: 'later' }]);
    expect(await valuesOf(topic, 5)).toEqual(['v0', 'v1', 'v2', 'after', 'later']);
  }, 60_000);
});
