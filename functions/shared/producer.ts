// The producer both functions use: idempotent, in order, Java-compatible partitioning, connected once
// per container through a LazyConnection. With kafka-client.ts, the one place the functions use
// KafkaJS: a replacement client plugs in here (docs/deploying.md, "The Kafka client").
import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer, type ProducerRecord, type RecordMetadata } from 'kafkajs';
import type { KafkaConfig } from './config';
import { createKafka, loginRefused, type WarningSink } from './kafka-client';

/** The producer type the functions pass around, so that no other file of theirs imports KafkaJS. */
export type { Producer };
import { LazyConnection } from './lazy-connection';

/** The partition each producer gave each message it placed itself (messages with a partition keep it). */
const placements = new WeakMap<Producer, WeakMap<Message, number>>();

/** `connectError` may turn a failed connect into the pipeline's own error (a refused login). */
export async function openIdempotentProducer(kafka: Kafka, connectError: (error: unknown) => unknown = (error) => error): Promise<Producer> {
  const placed = new WeakMap<Message, number>();
  const producer = kafka.producer({
    idempotent: true,
    // KafkaJS keeps per-partition order under idempotence only with one request in flight.
    maxInFlightRequests: 1,
    // murmur2, as Java producers use: the same key lands on the same partition whoever produced it.
    // Each placement is kept for sendAll.
    createPartitioner: () => {
      const murmur2 = Partitioners.DefaultPartitioner();
      return (args) => {
        const partition = murmur2(args);
        placed.set(args.message, partition);
        return partition;
      };
    },
  });
  placements.set(producer, placed);
  try {
    await producer.connect();
  } catch (error) {
    throw connectError(error);
  }
  return producer;
}

/** The container's one producer, opened on first use with the function's Kafka settings; a refused login is named as such. */
export function containerProducer(config: KafkaConfig, log: WarningSink): LazyConnection<Producer> {
  return new LazyConnection(
    async () => openIdempotentProducer(await createKafka(config, log), (error) => loginRefused(config, error)),
    (producer) => producer.disconnect(),
  );
}

/**
 * Every record this project writes (users, dead letters, redriven records, the mapping's on-failure
 * records): acknowledged by all in-sync replicas, compressed with gzip, every partition confirmed.
 */
export function publish(producer: Producer, topic: string, messages: Message[]): Promise<RecordMetadata[]> {
  return sendAll(producer, { topic, acks: -1, compression: CompressionTypes.GZIP, messages });
}

/** Re-sends of a partition KafkaJS skipped, before the publish is given up as failed. */
export const UNACKNOWLEDGED_RESENDS = 5;

/**
 * `producer.send`, until every partition the messages went to is acknowledged. KafkaJS 2.2.4 can
 * resolve a send without writing a partition whose leader moved during it: its retry goes only to
 * brokers that had not answered yet, so a partition that moved to one that had is skipped
 * (kafkajs#1303; the fix, kafkajs#1798, is unmerged). The three-node drills lost records this way.
 * The missing partition's messages are sent again, pinned to the partition they were given; KafkaJS
 * reuses the sequence numbers of a failed request, so a copy the broker did write is dropped as a
 * duplicate.
 */
export async function sendAll(
  producer: Producer,
  record: ProducerRecord,
  placed: (message: Message) => number | undefined = placementsOf(producer),
): Promise<RecordMetadata[]> {
  const acknowledged: RecordMetadata[] = [];
  let messages = record.messages.map((message) => ({ message, partition: message.partition ?? undefined }));
  for (let resend = 0; ; resend++) {
    const answer = await producer.send({
      ...record,
      messages: messages.map(({ message, partition }) => (partition === undefined ? message : { ...message, partition })),
    });
    acknowledged.push(...answer);
    const written = new Set(answer.filter((meta) => meta.topicName === record.topic && meta.errorCode === 0).map((meta) => meta.partition));
    messages = messages
      .map(({ message, partition }) => ({ message, partition: partition ?? placed(message) }))
      .filter(({ partition }) => partition !== undefined && !written.has(partition));
    if (messages.length === 0) return acknowledged;
    if (resend >= UNACKNOWLEDGED_RESENDS) {
      const partitions = [...new Set(messages.map(({ partition }) => partition))].join(', ');
      throw new Error(`${record.topic}: partition(s) ${partitions} not acknowledged after ${UNACKNOWLEDGED_RESENDS} re-sends of ${messages.length} message(s)`);
    }
  }
}

function placementsOf(producer: Producer): (message: Message) => number | undefined {
  const placed = placements.get(producer);
  return (message) => placed?.get(message);
}
