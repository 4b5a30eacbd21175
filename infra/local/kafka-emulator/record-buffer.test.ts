import fc from 'fast-check';
import { toLambdaKafkaRecord } from './build-lambda-kafka-event';
import { EVENT_ENVELOPE_BYTES, MAX_PAYLOAD_BYTES, RecordBuffer, recordBytes } from './record-buffer';

const record = (partition: number, offset: number, value = 'v') => toLambdaKafkaRecord({ topic: 't', partition, offset, timestamp: 0, value });
const all = () => true;
const ids = (records: Array<{ partition: number; offset: number }>) => records.map((r) => `${r.partition}:${r.offset}`);
const limits = { batchSize: 3, windowMs: 1000, maxBytes: 6 * 1024 * 1024 };

describe('RecordBuffer: what the next invocation carries', () => {
  it('invokes a full batch at once, without waiting for the window', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(0, 0), record(0, 1), record(0, 2), record(0, 3)], all, 1000);
    const next = buffer.next(limits, 1000);
    expect('invoke' in next && ids(next.invoke)).toEqual(['0:0', '0:1', '0:2']);
  });

  it('waits out the rest of the window for a batch that is not full, then invokes it', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(0, 0)], all, 1000);
    expect(buffer.next(limits, 1400)).toEqual({ waitMs: 600 });
    const next = buffer.next(limits, 2000);
    expect('invoke' in next && ids(next.invoke)).toEqual(['0:0']);
  });

  it('fills one invocation from several partitions, oldest first, each in offset order', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(1, 7), record(1, 8)], all, 1000);
    buffer.add([record(0, 3)], all, 1001);
    const next = buffer.next({ ...limits, batchSize: 10 }, 2500);
    expect('invoke' in next && ids(next.invoke)).toEqual(['1:7', '1:8', '0:3']);
  });

  it('leaves out a partition that has records in flight, so it never runs two invocations at once', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(0, 0), record(0, 1), record(0, 2)], all, 0);
    buffer.next(limits, 0); // 0:0-0:2 in flight
    buffer.add([record(0, 3)], all, 0);
    buffer.add([record(1, 0)], all, 0);
    const next = buffer.next(limits, 5000);
    expect('invoke' in next && ids(next.invoke)).toEqual(['1:0']);
    expect(buffer.next(limits, 5000)).toEqual({ idle: true });
  });

  it('cuts a batch before the 6 MB payload limit, and invokes it at once', () => {
    const buffer = new RecordBuffer();
    const big = 'x'.repeat(1000);
    buffer.add([record(0, 0, big), record(0, 1, big), record(0, 2, big)], all, 0);
    const two = EVENT_ENVELOPE_BYTES + 2 * recordBytes(record(0, 0, big));
    const next = buffer.next({ batchSize: 100, windowMs: 60_000, maxBytes: two }, 0);
    expect('invoke' in next && ids(next.invoke)).toEqual(['0:0', '0:1']);
  });

  it("holds AWS's 6 MB synchronous payload limit, and counts the comma each record adds to the event", () => {
    expect(MAX_PAYLOAD_BYTES).toBe(6_291_456);
    const one = record(0, 0, 'x'.repeat(100));
    expect(recordBytes(one)).toBe(JSON.stringify([one, one]).length - JSON.stringify([one]).length);
    const buffer = new RecordBuffer();
    buffer.add(
      [0, 1, 2, 3].map((offset) => record(0, offset, 'x'.repeat(100))),
      all,
      0,
    );
    // Room for four records without their commas, three with them.
    const next = buffer.next({ batchSize: 100, windowMs: 0, maxBytes: EVENT_ENVELOPE_BYTES + 4 * (recordBytes(one) - 2) }, 0);
    expect('invoke' in next && ids(next.invoke)).toEqual(['0:0', '0:1', '0:2']);
  });

  it('counts every record exactly as JSON counts it, whatever its key, value and headers', () => {
    const bytes = fc.option(
      fc.oneof(
        fc.string(),
        fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
      ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        bytes,
        bytes,
        fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
        (offset, timestamp, key, value, headers) => {
          const built = toLambdaKafkaRecord({ topic: 'users_"created', partition: 2, offset, timestamp, key, value, headers });
          expect(recordBytes(built)).toBe(JSON.stringify(built).length + 1);
        },
      ),
    );
    const nulls = { ...record(0, 1), key: null, value: null };
    expect(recordBytes(nulls)).toBe(JSON.stringify(nulls).length + 1);
  });

  it('sends a record larger than the limit alone rather than never', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(0, 0, 'x'.repeat(5000)), record(0, 1)], all, 0);
    const next = buffer.next({ batchSize: 100, windowMs: 0, maxBytes: 1000 }, 0);
    expect('invoke' in next && ids(next.invoke)).toEqual(['0:0']);
  });

  it('takes the oldest records first across partitions, whatever order the partitions were first seen in', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(0, 0)], all, 0);
    buffer.add([record(1, 0)], all, 1);
    buffer.add([record(0, 1)], all, 2);
    const next = buffer.next({ ...limits, batchSize: 2 }, 2);
    expect('invoke' in next && ids(next.invoke)).toEqual(['0:0', '1:0']);
  });

  it('never invokes filtered-out records, and is idle when nothing waits', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(0, 0), record(0, 1)], (r) => r.offset === 1, 0);
    const next = buffer.next(limits, 5000);
    expect('invoke' in next && ids(next.invoke)).toEqual(['0:1']);
    expect(new RecordBuffer().next(limits, 0)).toEqual({ idle: true });
  });
});

describe('RecordBuffer: how far each partition commits', () => {
  it('commits a partition up to its first record not yet handled, filtered-out records included', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(0, 10), record(0, 11), record(0, 12), record(0, 13)], (r) => r.offset !== 10, 0);
    const next = buffer.next({ ...limits, batchSize: 2 }, 0); // 11, 12
    expect(buffer.takeCommits()).toEqual([{ topic: 't', partition: 0, offset: '11' }]); // only the filtered 10
    buffer.complete('invoke' in next ? next.invoke : []);
    expect(buffer.takeCommits()).toEqual([{ topic: 't', partition: 0, offset: '13' }]);
    expect(buffer.takeCommits()).toEqual([]);
    expect(buffer.queued({ topic: 't', partition: 0 })).toBe(1);
  });

  it('commits a partition whose every record was handled to the offset after its last', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(3, 40), record(3, 41)], all, 0);
    buffer.complete([record(3, 40), record(3, 41)]);
    expect(buffer.takeCommits()).toEqual([{ topic: 't', partition: 3, offset: '42' }]);
    expect(buffer.queued({ topic: 't', partition: 3 })).toBe(0);
    expect(buffer.takeCommits()).toEqual([]);
  });

  it('never commits past an earlier record that is still waiting', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(2, 0), record(2, 1)], all, 0);
    buffer.complete([record(2, 1)]);
    expect(buffer.takeCommits()).toEqual([]);
  });

  it('puts released records back to wait and commits nothing for them', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(0, 0)], all, 0);
    const next = buffer.next(limits, 5000);
    buffer.release('invoke' in next ? next.invoke : []);
    expect(buffer.takeCommits()).toEqual([]);
    const again = buffer.next(limits, 5000);
    expect('invoke' in again && ids(again.invoke)).toEqual(['0:0']);
  });

  it('forgets everything on clear, as a rebalance requires', () => {
    const buffer = new RecordBuffer();
    buffer.add([record(0, 0)], all, 0);
    buffer.clear();
    expect(buffer.queued({ topic: 't', partition: 0 })).toBe(0);
    expect(buffer.next(limits, 5000)).toEqual({ idle: true });
  });
});
