import { CompressionTypes, type Kafka, type Producer, type ProducerRecord } from 'kafkajs';
import { loadEvent } from '../../test/support/load-event';
import type { CreatedUser } from './created-user';
import { deadLetter, DLQ_HEADERS } from './dead-letter';
import type { LambdaKafkaEvent } from './lambda-kafka-event';
import { publishUsers } from '../produce-users/publish-users';
import { openIdempotentProducer } from './producer';

// What each producer path hands KafkaJS, captured from a producer that records its sends; the
// integration tests read the same records back from a real broker.
function recordingProducer() {
  const sent: ProducerRecord[] = [];
  // Answers as KafkaJS does when nothing was placed by its partitioner: no partition to acknowledge.
  const producer = { send: async (record: ProducerRecord) => (sent.push(record), []) } as unknown as Producer;
  return { producer, sent };
}

const event = loadEvent<LambdaKafkaEvent>('write-users.msk.json');
const record = event.records['users_created-0'][0];

describe('publishing created users', () => {
  const user = { id: '2a9cb0f5-cbe0-4aab-9561-c2d3c934aa88', first_name: 'Bently' } as CreatedUser;

  it('keys each user by id, with all replicas acknowledging, compressed, and headers naming the format', async () => {
    const p = recordingProducer();
    await expect(publishUsers(p.producer, [user, { ...user, id: 'b' }])).resolves.toBe(2);
    expect(p.sent).toEqual([
      {
        topic: 'users_created',
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages: [
          { key: user.id, value: JSON.stringify(user), headers: { 'content-type': 'application/json', 'schema-version': '1' } },
          { key: 'b', value: JSON.stringify({ ...user, id: 'b' }), headers: { 'content-type': 'application/json', 'schema-version': '1' } },
        ],
      },
    ]);
  });

  it('sends nothing for no users', async () => {
    const p = recordingProducer();
    await expect(publishUsers(p.producer, [])).resolves.toBe(0);
    expect(p.sent).toEqual([]);
  });
});

describe('dead-lettering', () => {
  const failedAt = new Date('2026-11-27T10:00:00.000Z');

  it('sends the record byte for byte with its headers, plus why and where it came from', async () => {
    const p = recordingProducer();
    await deadLetter(p.producer, [{ record, reason: 'not-json', detail: 'value is not JSON (12 characters)' }], failedAt);
    expect(p.sent).toHaveLength(1);
    const { messages, ...rest } = p.sent[0];
    expect(rest).toEqual({ topic: 'users_created.dlq', acks: -1, compression: CompressionTypes.GZIP });
    expect(messages).toEqual([
      {
        key: Buffer.from(record.key!, 'base64'),
        value: Buffer.from(record.value!, 'base64'),
        headers: {
          'content-type': Buffer.from('application/json'),
          'schema-version': Buffer.from('1'),
          [DLQ_HEADERS.reason]: 'not-json',
          [DLQ_HEADERS.detail]: 'value is not JSON (12 characters)',
          [DLQ_HEADERS.sourceTopic]: 'users_created',
          [DLQ_HEADERS.sourcePartition]: '0',
          [DLQ_HEADERS.sourceOffset]: '100',
          [DLQ_HEADERS.sourceTimestamp]: '1795735600000',
          [DLQ_HEADERS.failedAt]: '2026-11-27T10:00:00.000Z',
        },
      },
    ]);
    expect(Object.values(DLQ_HEADERS)).toEqual([
      'dlq-reason',
      'dlq-detail',
      'dlq-source-topic',
      'dlq-source-partition',
      'dlq-source-offset',
      'dlq-source-timestamp',
      'dlq-failed-at',
    ]);
  });

  it('keeps a key or value that is not base64 as the text it came as, and a missing one as null', async () => {
    const p = recordingProducer();
    await deadLetter(p.producer, [{ record: { ...record, key: 'not base64!', value: null as unknown as string }, reason: 'missing-value', detail: 'd' }], failedAt, 'other.dlq');
    expect(p.sent[0].topic).toBe('other.dlq');
    expect(p.sent[0].messages[0]).toMatchObject({ key: Buffer.from('not base64!', 'utf8'), value: null });
  });

  it('sends nothing when there is no poison', async () => {
    const p = recordingProducer();
    await deadLetter(p.producer, [], failedAt);
    expect(p.sent).toEqual([]);
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
