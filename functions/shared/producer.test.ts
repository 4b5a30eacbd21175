import type { Kafka, Message, Producer, ProducerRecord, RecordMetadata } from 'kafkajs';
import { openIdempotentProducer, sendAll, UNACKNOWLEDGED_RESENDS } from './producer';

const ack = (partition: number): RecordMetadata => ({ topicName: 'users_created', partition, errorCode: 0 });

/** A producer that answers each send with `answers` in turn, acknowledging the partitions each names. */
function answeringProducer(answers: number[][]) {
  const sent: ProducerRecord[] = [];
  const producer = {
    send: async (record: ProducerRecord) => {
      sent.push(record);
      return (answers[sent.length - 1] ?? []).map(ack);
    },
  } as unknown as Producer;
  return { producer, sent };
}

/** Three partitions with a leader each, as KafkaJS hands its partitioner the topic's metadata. */
const PARTITIONS = [0, 1, 2].map((partitionId) => ({ partitionId, leader: partitionId, partitionErrorCode: 0, replicas: [partitionId], isr: [partitionId] }));

describe('sendAll', () => {
  const messages: Message[] = [
    { key: 'a', value: '1' },
    { key: 'b', value: '2' },
    { key: 'c', value: '3' },
  ];
  // As the producer's partitioner placed them: a and c on partition 0, b on 1.
  const placed = (message: Message) => ({ a: 0, b: 1, c: 0 })[String(message.key) as 'a' | 'b' | 'c'];

  it('sends once when every partition the messages went to is acknowledged', async () => {
    const p = answeringProducer([[0, 1]]);
    await sendAll(p.producer, { topic: 'users_created', acks: -1, messages }, placed);
    expect(p.sent).toEqual([{ topic: 'users_created', acks: -1, messages }]);
  });

  it('sends the messages of a partition the answer skipped again, pinned to that partition, until it is acknowledged', async () => {
    // KafkaJS's answer after a leader moved mid-send: partition 0 missing, the send resolved anyway.
    const p = answeringProducer([[1], [], [0]]);
    const acknowledged = await sendAll(p.producer, { topic: 'users_created', acks: -1, messages }, placed);
    const pinned = [
      { key: 'a', value: '1', partition: 0 },
      { key: 'c', value: '3', partition: 0 },
    ];
    expect(p.sent.map((record) => record.messages)).toEqual([messages, pinned, pinned]);
    expect(p.sent.every((record) => record.acks === -1)).toBe(true);
    expect(acknowledged.map((meta) => meta.partition)).toEqual([1, 0]);
  });

  it('gives up with the partitions and count still unacknowledged after its re-sends', async () => {
    const p = answeringProducer([[1]]);
    await expect(sendAll(p.producer, { topic: 'users_created', messages }, placed)).rejects.toThrow(
      `users_created: partition(s) 0 not acknowledged after ${UNACKNOWLEDGED_RESENDS} re-sends of 2 message(s)`,
    );
    expect(p.sent).toHaveLength(UNACKNOWLEDGED_RESENDS + 1);
  });

  it('counts a partition answered with an error, or an answer for another topic, as not written', async () => {
    const p = answeringProducer([]);
    const answers: RecordMetadata[][] = [
      [
        { topicName: 'users_created', partition: 0, errorCode: 6 },
        { topicName: 'users_created.dlq', partition: 1, errorCode: 0 },
      ],
      [ack(0), ack(1)],
    ];
    let call = 0;
    p.producer.send = async (record: ProducerRecord) => (p.sent.push(record), answers[call++]);
    await sendAll(p.producer, { topic: 'users_created', messages }, placed);
    expect(p.sent[1].messages).toEqual([
      { key: 'a', value: '1', partition: 0 },
      { key: 'b', value: '2', partition: 1 },
      { key: 'c', value: '3', partition: 0 },
    ]);
  });

  it('names every partition still unacknowledged, once each, when it gives up', async () => {
    const p = answeringProducer([]);
    await expect(sendAll(p.producer, { topic: 'users_created', messages }, placed)).rejects.toThrow(
      `users_created: partition(s) 0, 1 not acknowledged after ${UNACKNOWLEDGED_RESENDS} re-sends of 3 message(s)`,
    );
  });

  it('sends a message whose partition nobody knows only once: there is nothing to check it against', async () => {
    const p = answeringProducer([[]]);
    await sendAll(p.producer, { topic: 'users_created', messages: [{ key: 'x', value: '1' }] }, () => undefined);
    expect(p.sent).toHaveLength(1);
  });

  it('by default checks each message against the partition the idempotent producer’s partitioner gave it', async () => {
    // KafkaJS calls the configured partitioner for each message it places; the answer skips partition 2.
    let partitionerOf: (() => (args: { topic: string; message: Message; partitionMetadata: unknown[] }) => number) | undefined;
    const sent: ProducerRecord[] = [];
    const producer = {
      connect: async () => undefined,
      send: async (record: ProducerRecord) => {
        sent.push(record);
        const partition = partitionerOf!();
        const placedNow = record.messages.map((message) => message.partition ?? partition({ topic: record.topic, message, partitionMetadata: PARTITIONS }));
        return sent.length === 1 ? [...new Set(placedNow)].filter((n) => n !== placedNow[0]).map(ack) : [...new Set(placedNow)].map(ack);
      },
    } as unknown as Producer;
    const kafka = {
      producer: (config: { createPartitioner: typeof partitionerOf }) => ((partitionerOf = config.createPartitioner), producer),
    } as unknown as Kafka;
    const opened = await openIdempotentProducer(kafka);
    const many: Message[] = Array.from({ length: 12 }, (_, i) => ({ key: `user-${i}`, value: String(i) }));
    await sendAll(opened, { topic: 'users_created', messages: many });
    expect(sent).toHaveLength(2);
    const firstPlaced = sent[1].messages.map((message) => message.partition);
    expect(firstPlaced.length).toBeGreaterThan(0);
    expect(new Set(firstPlaced).size).toBe(1);
    expect(sent[1].messages.every((message) => many.some((m) => m.key === message.key))).toBe(true);
  });

  it('checks a message sent with its own partition against that partition', async () => {
    const p = answeringProducer([[], [2]]);
    await sendAll(p.producer, { topic: 'users_created', messages: [{ key: 'x', value: '1', partition: 2 }] }, () => undefined);
    expect(p.sent).toHaveLength(2);
  });
});

describe('the shared idempotent producer', () => {
  function recordingKafka(connect: () => Promise<void>) {
    const configs: unknown[] = [];
    const kafka = {
      producer: (config: unknown) => {
        configs.push(config);
        return { connect } as unknown as Producer;
      },
    } as unknown as Kafka;
    return { kafka, configs };
  }

  it('is idempotent with one request in flight and Java’s partitioner, and connected before use', async () => {
    let connected = false;
    const k = recordingKafka(async () => void (connected = true));
    await openIdempotentProducer(k.kafka);
    expect(connected).toBe(true);
    expect(k.configs).toEqual([{ idempotent: true, maxInFlightRequests: 1, createPartitioner: expect.any(Function) }]);
  });

  it('hands a failed connect to the caller’s translation, or throws it unchanged', async () => {
    const refused = new Error('SASL SCRAM SHA512 authentication failed');
    const k = recordingKafka(async () => Promise.reject(refused));
    await expect(openIdempotentProducer(k.kafka)).rejects.toBe(refused);
    await expect(openIdempotentProducer(k.kafka, (error) => new Error(`translated: ${(error as Error).message}`))).rejects.toThrow(
      'translated: SASL SCRAM SHA512 authentication failed',
    );
  });
});
