import { CompressionTypes } from 'kafkajs';
import { DLQ_HEADERS } from '../../contract/dead-letter-headers';
import type { LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { loadEvent } from '../../test/support/load-event';
import { recordingProducer } from '../../test/support/recording-producer';
import { deadLetter } from './dead-letter';

const event = loadEvent<LambdaKafkaEvent>('write-users.msk.json');
const record = event.records['users_created-0'][0];

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
          traceparent: Buffer.from('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01'),
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
    await deadLetter(
      p.producer,
      [{ record: { ...record, key: 'not base64!', value: null as unknown as string }, reason: 'missing-value', detail: 'd' }],
      failedAt,
      'other.dlq',
    );
    expect(p.sent[0].topic).toBe('other.dlq');
    expect(p.sent[0].messages[0]).toMatchObject({ key: Buffer.from('not base64!', 'utf8'), value: null });
  });

  it('sends nothing when there is no poison', async () => {
    const p = recordingProducer();
    await deadLetter(p.producer, [], failedAt);
    expect(p.sent).toEqual([]);
  });
});
