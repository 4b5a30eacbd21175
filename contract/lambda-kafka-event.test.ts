import { loadEvent } from '../test/support/load-event';
import { headersOf, isLambdaKafkaEvent, itemIdentifier, recordsOf, type LambdaKafkaEvent } from './lambda-kafka-event';

describe('the Lambda Kafka event', () => {
  const msk = loadEvent<LambdaKafkaEvent>('write-users.msk.json');
  const selfManaged = loadEvent<LambdaKafkaEvent>('write-users.self-managed.json');
  const mixed = loadEvent<LambdaKafkaEvent>('write-users.mixed-batch.json');

  it('is recognised for MSK and self-managed Kafka, and nothing else', () => {
    expect(isLambdaKafkaEvent(msk)).toBe(true);
    expect(isLambdaKafkaEvent(selfManaged)).toBe(true);
    expect(isLambdaKafkaEvent(loadEvent('produce-users.schedule.json'))).toBe(false);
    expect(isLambdaKafkaEvent({ Records: [] })).toBe(false);
    expect(isLambdaKafkaEvent({ eventSource: 'aws:sqs', records: {} })).toBe(false);
    expect(isLambdaKafkaEvent({ eventSource: 'aws:kafka', records: null })).toBe(false);
    expect(isLambdaKafkaEvent({ eventSource: 'SelfManagedKafka', records: 'users_created-0' })).toBe(false);
    expect(isLambdaKafkaEvent({ eventSource: 'SelfManagedKafka' })).toBe(false);
    expect(isLambdaKafkaEvent({ eventSource: 'aws:kafka', records: {} })).toBe(true);
    expect([null, undefined, 'aws:kafka', 42].some(isLambdaKafkaEvent)).toBe(false);
  });

  it('flattens records partition by partition, in offset order, whatever order they arrive in', () => {
    // The recorded event is already in order; reverse each partition and interleave their keys.
    const shuffled: LambdaKafkaEvent = {
      ...mixed,
      records: Object.fromEntries(
        Object.entries(mixed.records)
          .reverse()
          .map(([key, records]) => [key, [...records].reverse()]),
      ),
    };
    expect(recordsOf(shuffled).map((r) => `${r.partition}/${r.offset}`)).toEqual([
      '2/400',
      '2/401',
      '2/402',
      '1/300',
      '1/301',
      '1/302',
      '0/200',
      '0/201',
      '0/202',
    ]);
    expect(recordsOf(selfManaged)).toHaveLength(10);
  });

  it('identifies a record for the partial batch response as topic-partition and offset', () => {
    const [record] = recordsOf(msk);
    expect(itemIdentifier(record)).toEqual({ partition: 'users_created-0', offset: 100 });
  });

  it('gives a record without headers no headers', () => {
    const { headers: _headers, ...record } = msk.records['users_created-0'][0];
    expect(headersOf(record)).toEqual({});
  });
});
