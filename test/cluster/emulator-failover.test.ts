// The Kafka event-source emulator through a broker failure on the three-node stack: the broker that
// coordinates the mapping's consumer group (and leads one of the topic's partitions) is SIGKILLed and
// stays down, as an MSK broker does until it is replaced. What is published after the kill must reach
// the function, and be committed, while that broker is still dead. KafkaJS finds a group's coordinator
// only when the consumer joins: retrying the dead one without end, the emulator committed nothing (and
// in the drills stopped consuming) until that broker returned.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { openIdempotentProducer, sendAll } from '../../functions/shared/producer';
import { KafkaEventSourceEmulator } from '../../infra/local/kafka-emulator/kafka-event-source-emulator';
import type { KafkaBroker } from '../../infra/local/stack/kafka-broker';
import { LocalStack } from '../../infra/local/stack/local-stack';
import { createTopicsWithLeaders } from '../../infra/local/stack/topics-with-leaders';
import { mappingFor } from '../support/emulator-mapping';
import { BROKERS } from '../support/services';
import { until } from '../support/until';

const stack = new LocalStack(undefined, () => undefined);
// More retries than testKafka()'s: publishes and admin calls meet the dead broker until KRaft fences it (9 s).
const kafka = new Kafka({ clientId: 'emulator-failover-test', brokers: BROKERS, logLevel: logLevel.NOTHING, retry: { retries: 10 } });
const PARTITIONS = 3;

/** Whether the group has committed every partition up to its end (what a restart would redeliver). */
async function committedToEnd(groupId: string, topic: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    return ends.every((end) => committed.partitions.find((p) => p.partition === end.partition)?.offset === end.high);
  } catch {
    return false;
  } finally {
    await admin.disconnect();
  }
}

async function replicatedTopic(): Promise<string> {
  const topic = `esm-failover-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsWithLeaders(admin, [
      { topic, numPartitions: PARTITIONS, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
    ]);
    return topic;
  } finally {
    await admin.disconnect();
  }
}

/** Java's String.hashCode, by which Kafka places a group's offsets on a partition of __consumer_offsets. */
function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** The broker coordinating a group: the leader of the __consumer_offsets partition its id hashes to. */
async function coordinatorOf(groupId: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const {
      topics: [offsets],
    } = await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] });
    // Kafka's Utils.abs (Math.abs, Integer.MIN_VALUE as 0), not the producer partitioner's
    // `& 0x7fffffff`: for a negative hash the two name different partitions, and the broker killed
    // was then not the coordinator (half of all group ids).
    const hash = javaHashCode(groupId);
    const partition = (hash === -0x80000000 ? 0 : Math.abs(hash)) % offsets.partitions.length;
    return offsets.partitions.find((p) => p.partitionId === partition)!.leader;
  } finally {
    await admin.disconnect();
  }
}

describe('the Kafka event-source emulator when the broker coordinating its group dies (three brokers)', () => {
  it('consumes and commits what is published after the kill, while the dead broker stays down', async () => {
    const topic = await replicatedTopic();
    const seen = new Set<string>();
    const logs: string[] = [];
    const mapping = mappingFor(topic, { batchSize: 10 });
    const emulator = new KafkaEventSourceEmulator(mapping, {
      invoke: async (_name, event: LambdaKafkaEvent) => {
        for (const record of Object.values(event.records).flat()) seen.add(Buffer.from(record.value!, 'base64').toString());
        return { ok: true, response: null };
      },
      log: (line) => logs.push(line),
    });
    const producer = await openIdempotentProducer(kafka);
    let killed: KafkaBroker | undefined;
    const values = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    const publish = (batch: string[]) => sendAll(producer, { topic, messages: batch.map((value) => ({ key: value, value })) });
    // Several batches a partition after the kill: each invocation of a partition waits for the one before.
    const before = values('before', 30);
    const after = values('after', 300);

    await emulator.start();
    try {
      await publish(before);
      expect(await until(() => seen.size === before.length, 60_000)).toBe(true);

      const coordinator = await coordinatorOf(mapping.consumerGroupId);
      killed = stack.brokers.find((broker) => broker.node.id === coordinator);
      killed!.process.signal('SIGKILL');
      await publish(after);
      await until(() => seen.size === before.length + after.length, 90_000);
      expect(after.filter((value) => !seen.has(value)).length).toBe(0);
      // Commits go to the group's coordinator: only a consumer that found the new one can make them.
      expect(await until(() => committedToEnd(mapping.consumerGroupId, topic), 60_000)).toBe(true);
      // Matched against the whole log, so a failure prints what the emulator said instead.
      expect(logs).toEqual(expect.arrayContaining([expect.stringContaining('consumer lost its broker')]));
    } finally {
      // The broker first: a consumer stuck on it stops only once it answers again.
      if (killed) await stack.startService(killed);
      await emulator.stop();
      await producer.disconnect();
    }
  }, 240_000);
});
