// Reads a topic's records as they are now, from a position (or the start) up to the end each partition
// had when the read began, with a throwaway consumer group that commits nothing.
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { TopicRecord } from './dead-letter-entry';

export async function readTopic(kafka: Kafka, topic: string, from: Map<number, string> = new Map()): Promise<TopicRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const start = new Map(offsets.map((p) => [p.partition, BigInt(from.get(p.partition) ?? p.low) > BigInt(p.low) ? from.get(p.partition)! : p.low]));
  const pending = new Map(offsets.filter((p) => BigInt(start.get(p.partition)!) < BigInt(p.high)).map((p) => [p.partition, BigInt(p.high)]));
  const records: TopicRecord[] = [];
  if (pending.size === 0) return records;

  const consumer = kafka.consumer({ groupId: `dlq-tool-read-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = pending.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            records.push({
              partition,
              offset: message.offset,
              timestamp: message.timestamp,
              key: message.key,
              value: message.value,
              headers: Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([name, v]) => [name, Buffer.isBuffer(v) ? v.toString('utf8') : String(v)]),
              ),
            });
            if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
            if (pending.size === 0) resolve();
          },
        })
        .catch(reject);
      for (const [partition, offset] of start) consumer.seek({ topic, partition, offset });
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
