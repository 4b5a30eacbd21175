import fs from 'node:fs';
import path from 'node:path';
import { maskedValue, select, toDeadLetterEntry, type TopicRecord } from './dead-letter-entry';
import { parseSince } from './cli';

const record = (partition: number, offset: string, timestamp: number, reason: string): TopicRecord => ({
  partition,
  offset,
  timestamp: String(timestamp),
  key: Buffer.from('2a9cb0f5-cbe0-4aab-9561-c2d3c934aa88'),
  value: Buffer.from(
    JSON.stringify({ id: '2a9cb0f5-cbe0-4aab-9561-c2d3c934aa88', email: 'bently.martin@example.com', first_name: 'Bently', post_code: 90592 }),
  ),
  headers: {
    'content-type': 'application/json',
    'schema-version': '1',
    'dlq-reason': reason,
    'dlq-detail': 'email: invalid_type',
    'dlq-source-topic': 'users_created',
    'dlq-source-partition': '2',
    'dlq-source-offset': '401',
    'dlq-redriven-from': '0:1',
  },
});

describe('a dead letter', () => {
  it('reads its position, reason and source from the dlq-* headers', () => {
    expect(toDeadLetterEntry(record(1, '7', 0, 'schema-invalid'))).toMatchObject({
      position: '1:7',
      reason: 'schema-invalid',
      detail: 'email: invalid_type',
      source: { topic: 'users_created', partition: '2', offset: '401' },
    });
  });

  it('keeps its original headers for a redrive, without any dlq-* header', () => {
    expect(toDeadLetterEntry(record(0, '1', 0, 'x')).original.headers).toEqual({ 'content-type': 'application/json', 'schema-version': '1' });
  });

  it('names the trace of the run that published the original, from its traceparent header', () => {
    const traced = record(0, '1', 0, 'not-json');
    traced.headers.traceparent = '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01';
    expect(toDeadLetterEntry(traced).traceId).toBe('5759e988bd862e3fe1be46a994272793');
    expect(toDeadLetterEntry(record(0, '1', 0, 'not-json'))).not.toHaveProperty('traceId');
  });

  // AWS's documented example of what the mapping writes to a Kafka on-failure destination.
  // https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html#kafka-ofd-record-format
  it('reads the event-source mapping’s on-failure record (AWS’s documented example) back to the original key, value and source', () => {
    const fixture = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../fixtures/aws/kafka-on-failure-destination.json'), 'utf8'));
    const entry = toDeadLetterEntry({
      partition: 2,
      offset: '9',
      timestamp: '0',
      key: Buffer.from(fixture.key),
      value: Buffer.from(JSON.stringify(fixture.value)),
      headers: {},
    });
    expect(entry).toMatchObject({
      position: '2:9',
      writer: 'mapping',
      reason: 'retries-exhausted',
      source: { topic: 'my-topic', partition: '0', offset: '100' },
    });
    expect(entry.detail).toBe('the event-source mapping gave up (RetriesExhausted) after 3 invocation(s) of my-function:$LATEST');
    expect(entry.original).toEqual({ key: Buffer.from('test-key'), value: Buffer.from('test-value'), headers: {} });
  });

  it('takes a value that is neither kind as unknown, and keeps it whole for a redrive', () => {
    const entry = toDeadLetterEntry({ partition: 0, offset: '1', timestamp: '0', key: null, value: Buffer.from('{"requestContext":{}}'), headers: { h: 'v' } });
    expect(entry).toMatchObject({ writer: 'unknown', reason: 'unknown' });
    expect(entry.original).toEqual({ key: null, value: Buffer.from('{"requestContext":{}}'), headers: { h: 'v' } });
  });

  it('masks every field but the id, keeping lengths, and describes what is not a JSON object', () => {
    expect(maskedValue(record(0, '1', 0, 'x').value)).toEqual({
      id: '2a9cb0f5-cbe0-4aab-9561-c2d3c934aa88',
      email: '<masked: 25 chars>',
      first_name: '<masked: 6 chars>',
      post_code: '<masked: number>',
    });
    expect(maskedValue(Buffer.from([0xff, 0xfe]))).toBe('<2 bytes, not JSON; --reveal shows them>');
    expect(maskedValue(Buffer.from('[1]'))).toBe('<JSON array; --reveal shows it>');
    expect(maskedValue(null)).toBeNull();
  });

  it('is chosen by reason and by time', () => {
    const entries = [record(0, '1', 1000, 'a'), record(0, '2', 2000, 'b'), record(1, '1', 3000, 'a')].map(toDeadLetterEntry);
    expect(select(entries, { reason: 'a' }).map((e) => e.position)).toEqual(['0:1', '1:1']);
    expect(select(entries, { since: 2000 }).map((e) => e.position)).toEqual(['0:2', '1:1']);
    expect(select(entries, { reason: 'a', since: 2000 }).map((e) => e.position)).toEqual(['1:1']);
  });

  it('takes --since as a duration back from now or an ISO time', () => {
    const now = Date.parse('2026-11-27T08:00:00Z');
    expect(parseSince('30m', now)).toBe(now - 30 * 60_000);
    expect(parseSince('2h', now)).toBe(now - 2 * 3_600_000);
    expect(parseSince('2026-11-27T07:00:00Z', now)).toBe(Date.parse('2026-11-27T07:00:00Z'));
    expect(parseSince(undefined, now)).toBeUndefined();
    expect(() => parseSince('yesterday', now)).toThrow('--since "yesterday"');
  });
});
