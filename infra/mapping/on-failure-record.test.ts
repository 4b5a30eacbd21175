import fs from 'node:fs';
import path from 'node:path';
import type { LambdaKafkaRecord } from '../../contract/lambda-kafka-event';
import { originalOf, parseOnFailureRecord, toOnFailureRecord, type OnFailureRecord } from './on-failure-record';

// AWS's documented example of the on-failure record, as a fixture:
// https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html#kafka-ofd-record-format
const fixture = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../fixtures/aws/kafka-on-failure-destination.json'), 'utf8')) as {
  key: string;
  value: OnFailureRecord;
};

/** Every field path with the JSON type of its value: the record's shape, without its values. */
function shape(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return [`${at}: array`, ...value.flatMap((item) => shape(item, `${at}[]`))];
  if (value !== null && typeof value === 'object') {
    return [
      `${at}: object`,
      ...Object.entries(value).flatMap(([name, inner]) => shape(inner, `${at}.${/^[a-z-]+-\d+$/.test(name) ? '<topic-partition>' : name}`)),
    ];
  }
  return [`${at}: ${value === null ? 'null' : typeof value}`];
}

const record: LambdaKafkaRecord = {
  headers: [],
  key: Buffer.from('test-key').toString('base64'),
  offset: 100,
  partition: 0,
  timestamp: 1749116692330,
  timestampType: 'CREATE_TIME',
  topic: 'my-topic',
  value: Buffer.from('test-value').toString('base64'),
};
const giveUp = {
  condition: 'RetriesExhausted' as const,
  requestId: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e',
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST',
  invokeCount: 3,
  source: {
    eventSource: 'aws:kafka' as const,
    eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/my-cluster/abc123',
    bootstrapServers: 'b-1.mycluster.abc123.kafka.us-east-1.amazonaws.com:9098',
  },
  now: new Date('2019-11-14T18:16:05.568Z'),
};

describe('the on-failure record the emulator writes', () => {
  it('has the shape of AWS’s documented example, field by field and type by type', () => {
    expect(shape(toOnFailureRecord(record, giveUp)).sort()).toEqual(shape(fixture.value).sort());
  });

  it('carries the same values where the example’s inputs determine them', () => {
    const written = toOnFailureRecord(record, giveUp);
    expect(written.requestContext).toEqual(fixture.value.requestContext);
    expect(written.responseContext).toEqual(fixture.value.responseContext);
    expect(written.payload).toEqual(fixture.value.payload);
    expect(written).toMatchObject({ version: '1.0', timestamp: fixture.value.timestamp });
    expect(written.KafkaBatchInfo).toMatchObject({ batchSize: 1, recordInfo: { offset: '100', timestamp: '2025-06-05T09:44:52.330Z' } });
    expect(written.KafkaBatchInfo.payloadSize).toBe(Buffer.byteLength(JSON.stringify(written.payload)));
  });

  it('leaves eventSourceArn out for self-managed Kafka, as its events do', () => {
    const written = toOnFailureRecord(record, { ...giveUp, source: { eventSource: 'SelfManagedKafka', bootstrapServers: 'kafka-1:9096' } });
    expect(written.KafkaBatchInfo).not.toHaveProperty('eventSourceArn');
    expect(written.payload).toEqual({ eventSource: 'SelfManagedKafka', bootstrapServers: 'kafka-1:9096', records: { 'my-topic-0': [record] } });
  });
});

describe('reading an on-failure record back', () => {
  it('finds the original key, value and headers of AWS’s example', () => {
    const failure = parseOnFailureRecord(Buffer.from(JSON.stringify(fixture.value)))!;
    expect(originalOf(failure)).toEqual({
      record: fixture.value.payload.records['my-topic-0'][0],
      key: Buffer.from(fixture.key),
      value: Buffer.from('test-value'),
      headers: {},
    });
  });

  it('round-trips the bytes of a record with headers', () => {
    const withHeaders = { ...record, headers: [{ 'schema-version': [...Buffer.from('1')] }] };
    const back = originalOf(parseOnFailureRecord(Buffer.from(JSON.stringify(toOnFailureRecord(withHeaders, giveUp))))!);
    expect(back.headers).toEqual({ 'schema-version': Buffer.from('1') });
    expect(back.value).toEqual(Buffer.from('test-value'));
  });

  it.each([
    ['a user record', JSON.stringify({ id: 'x', email: 'e' })],
    ['not JSON', '{oops'],
    ['a JSON array', '[1]'],
    ['an envelope without a condition', JSON.stringify({ ...fixture.value, requestContext: { ...fixture.value.requestContext, condition: undefined } })],
    ['an envelope without KafkaBatchInfo', JSON.stringify({ ...fixture.value, KafkaBatchInfo: undefined })],
    ['an envelope without records', JSON.stringify({ ...fixture.value, payload: { ...fixture.value.payload, records: null } })],
    ['an envelope with no record', JSON.stringify({ ...fixture.value, payload: { ...fixture.value.payload, records: { 'my-topic-0': [] } } })],
    ['JSON null', 'null'],
    ['an envelope with two records', JSON.stringify({ ...fixture.value, payload: { ...fixture.value.payload, records: { 'my-topic-0': [record, record] } } })],
  ])('is undefined for %s', (_name, text) => {
    expect(parseOnFailureRecord(Buffer.from(text))).toBeUndefined();
  });

  it('is undefined for a record without a value (a tombstone)', () => {
    expect(parseOnFailureRecord(null)).toBeUndefined();
  });
});
