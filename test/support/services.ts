// Clients for the real services the integration tests talk to, at the addresses the stack uses.
import { Client, types } from 'cassandra-driver';
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';
import { cassandraClientOptions, stackSettings } from '../../infra/local/stack/stack-settings';

const settings = stackSettings();
export const BROKERS = settings.kafka.brokers;
export const CONTACT_POINTS = settings.cassandra.contactPoints;
/**
 * Every node, peers on the stack's client port, and reads at LOCAL_QUORUM: writeUsers writes at
 * LOCAL_QUORUM, so on a cluster only a quorum read is sure to see every row it wrote (the driver's
 * default, LOCAL_ONE, may ask the one replica that missed a write while it was down).
 */
export const CASSANDRA_OPTIONS = { ...cassandraClientOptions(settings.cassandra), queryOptions: { consistency: types.consistencies.localQuorum } };
export const LOCAL_DC = settings.cassandra.localDc;

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'integration-tests', brokers: BROKERS, logLevel: logLevel.NOTHING });
}

export function testCassandra(): Client {
  return new Client(CASSANDRA_OPTIONS);
}

export type TopicPosition = Array<{ partition: number; offset: string }>;

/**
 * The topic's end offsets now: read from here to see only what a test produced after this point. On
 * a cluster a partition's leader can move between the metadata and the request (a broker restarted,
 * leadership rebalanced); KafkaJS's admin does not retry that, so this asks again with fresh metadata.
 */
export async function topicEnd(kafka: Kafka, topic: string): Promise<TopicPosition> {
  for (let attempt = 1; ; attempt++) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topic)).map(({ partition, offset }) => ({ partition, offset }));
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await admin.disconnect();
    }
  }
}

export interface ConsumedMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name] = Array.isArray(value) ? String(value[value.length - 1]) : String(value);
  }
  return out;
}

/** Reads messages produced after `from` until `count` arrived or the timeout passed. */
export async function readSince(kafka: Kafka, topic: string, from: TopicPosition, count: number, timeoutMs = 20_000): Promise<ConsumedMessage[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `test-reader-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  const messages: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const start = from.find((p) => p.partition === partition);
        if (start && BigInt(message.offset) < BigInt(start.offset)) return;
        messages.push({
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value,
          headers: headerText(message.headers),
        });
        if (messages.length >= count) done();
      },
    });
    for (const { partition, offset } of from) consumer.seek({ topic, partition, offset });
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** Every row of spark_streams.created_users; the tests run one at a time, so nothing else writes. */
export async function countAllRows(client: Client): Promise<number> {
  const result = await client.execute('SELECT COUNT(*) AS n FROM spark_streams.created_users', [], { readTimeout: 60_000 });
  return Number(result.first().n);
}
