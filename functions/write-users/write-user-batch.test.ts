import { loadEvent } from '../../test/support/load-event';
import { BatchNotWrittenError } from '../shared/errors';
import type { PoisonRecord } from './dead-letter';
import type { LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import type { CreatedUser } from '../shared/created-user';
import { writeUserBatch, type WriteUserBatchDeps } from './write-user-batch';

// The batch decisions alone, with in-memory stand-ins for Cassandra and the dead-letter topic;
// test/integration proves the same against the real services.
function harness(overrides: Partial<WriteUserBatchDeps> = {}) {
  const written: CreatedUser[] = [];
  const deadLettered: PoisonRecord[] = [];
  const logs: string[] = [];
  const metrics: Record<string, number> = {};
  const deps: WriteUserBatchDeps = {
    writeRows: async (users) => {
      written.push(...users);
      return users.map(() => undefined);
    },
    deadLetter: async (poison) => void deadLettered.push(...poison),
    logger: {
      info: (message, ...extra) => logs.push(JSON.stringify([message, ...extra])),
      warn: (message, ...extra) => logs.push(JSON.stringify([message, ...extra])),
      error: (message, ...extra) => logs.push(JSON.stringify([message, ...extra])),
    },
    meter: { count: (name, value) => (metrics[name] = value), milliseconds: (name, value) => (metrics[name] = value) },
    ...overrides,
  };
  return { deps, written, deadLettered, logs, metrics };
}

describe('writeUserBatch', () => {
  const mixed = loadEvent<LambdaKafkaEvent>('write-users.mixed-batch.json');

  it('writes the valid records, dead-letters the poison and reports nothing for retry', async () => {
    const h = harness();
    await expect(writeUserBatch(mixed, h.deps)).resolves.toEqual({ batchItemFailures: [] });
    expect(h.written.map((u) => u.first_name)).toEqual(['Bently', 'Jared', 'Cristian']);
    expect(h.deadLettered.map((p) => `${p.record.offset}:${p.reason}`)).toEqual([
      '201:not-json',
      '300:invalid-id',
      '301:invalid-id',
      '400:not-utf8',
      '401:schema-invalid',
      '402:not-base64',
    ]);
    expect(h.metrics).toMatchObject({ BatchSize: 9, Written: 3, DeadLettered: 6, Failed: 0 });
  });

  it('reports only the rows Cassandra refused, by topic-partition and offset', async () => {
    const h = harness({
      writeRows: async (users) => users.map((user) => (user.first_name === 'Jared' ? new Error('WriteTimeout') : undefined)),
    });
    await expect(writeUserBatch(mixed, h.deps)).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: { partition: 'users_created-0', offset: 202 } }],
    });
  });

  it('reports the poison records for retry when the dead-letter topic cannot take them', async () => {
    const h = harness({ deadLetter: async () => Promise.reject(new Error('broker down')) });
    const response = await writeUserBatch(mixed, h.deps);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier.offset)).toEqual([201, 300, 301, 400, 401, 402]);
  });

  it('fails the invocation when nothing could be stored, so the mapping retries the batch', async () => {
    const h = harness({
      writeRows: async () => Promise.reject(new Error('NoHostAvailableError')),
      deadLetter: async () => Promise.reject(new Error('broker down')),
    });
    await expect(writeUserBatch(mixed, h.deps)).rejects.toBeInstanceOf(BatchNotWrittenError);
  });

  it('names, in each poison record’s log line, the trace of the run that published it', async () => {
    const traced = structuredClone(mixed);
    const [first] = Object.values(traced.records);
    for (const record of first)
      record.headers = [...(record.headers ?? []), { traceparent: [...Buffer.from('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01')] }];
    const h = harness();
    await writeUserBatch(traced, h.deps);
    const poisonLines = h.logs.filter((line) => line.includes('poison record sent to the dead-letter topic')).map((line) => JSON.parse(line)[1]);
    expect(poisonLines.length).toBeGreaterThan(1);
    const byPartition = new Set(first.map((record) => record.partition));
    for (const fields of poisonLines)
      expect([fields.partition, fields.traceId]).toEqual([
        fields.partition,
        byPartition.has(fields.partition) ? '5759e988bd862e3fe1be46a994272793' : undefined,
      ]);
  });

  it('logs ids, offsets and reasons, never an email or a phone number', async () => {
    const h = harness({ writeRows: async (users) => users.map(() => new Error('timeout')) });
    await writeUserBatch(mixed, h.deps);
    const text = h.logs.join('\n');
    expect(text).toContain('invalid-id');
    expect(text).not.toMatch(/@example\.com/);
    expect(text).not.toContain('(467) 283-4767');
  });

  // What an operator reads: each line names its record by topic, partition and offset, and the batch
  // line carries the counts that the metrics carry.
  function structuredHarness(overrides: Partial<WriteUserBatchDeps> = {}) {
    const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
    const h = harness({
      logger: {
        info: (message, ...extra) => lines.push({ level: 'info', message, fields: Object.assign({}, ...extra) }),
        warn: (message, ...extra) => lines.push({ level: 'warn', message, fields: Object.assign({}, ...extra) }),
        error: (message, ...extra) => lines.push({ level: 'error', message, fields: Object.assign({}, ...extra) }),
      },
      ...overrides,
    });
    return { ...h, lines };
  }

  class WriteTimeout extends Error {
    name = 'WriteTimeout';
  }

  it('logs each poison record by position with its reason, and the batch with its counts', async () => {
    const h = structuredHarness();
    await writeUserBatch(mixed, h.deps);
    expect(h.lines[0]).toEqual({
      level: 'warn',
      message: 'poison record sent to the dead-letter topic',
      fields: { topic: 'users_created', partition: 0, offset: 201, reason: 'not-json', detail: expect.any(String) },
    });
    expect(h.lines.filter((line) => line.message === 'poison record sent to the dead-letter topic')).toHaveLength(6);
    expect(h.lines.at(-1)).toEqual({
      level: 'info',
      message: 'wrote user batch',
      fields: { event: 'batch-written', records: 9, written: 3, deadLettered: 6, failed: 0, writeErrors: {} },
    });
  });

  it('counts refused rows by error name, logs each with its id, and does not count them as written', async () => {
    const h = structuredHarness({
      writeRows: async (users) => users.map((user) => (user.first_name === 'Bently' ? undefined : new WriteTimeout('timed out'))),
    });
    const response = await writeUserBatch(mixed, h.deps);
    expect(response.batchItemFailures).toHaveLength(2);
    const refused = h.lines.filter((line) => line.message === 'row not written; reported for retry');
    expect(refused).toHaveLength(2);
    expect(refused[0]).toEqual({
      level: 'warn',
      message: 'row not written; reported for retry',
      fields: { topic: 'users_created', partition: 0, offset: 202, id: expect.stringMatching(/^[0-9a-f-]{36}$/), error: 'WriteTimeout: timed out' },
    });
    expect(h.lines.at(-1)?.fields).toEqual({ event: 'batch-written', records: 9, written: 1, deadLettered: 6, failed: 2, writeErrors: { WriteTimeout: 2 } });
    expect(h.metrics).toMatchObject({ BatchSize: 9, Written: 1, DeadLettered: 6, Failed: 2 });
  });

  it('counts no poison as dead-lettered when the dead-letter topic refused it, and says so once', async () => {
    const h = structuredHarness({ deadLetter: async () => Promise.reject(new Error('broker down')) });
    await writeUserBatch(mixed, h.deps);
    expect(h.lines.filter((line) => line.level === 'error')).toEqual([
      {
        level: 'error',
        message: 'dead-letter publish failed; poison records reported for retry',
        fields: { records: 6, error: 'Error: broker down' },
      },
    ]);
    expect(h.metrics).toMatchObject({ Written: 3, DeadLettered: 0, Failed: 6 });
  });

  it('measures the write latency from the first write to the last outcome', async () => {
    const clock = [1_000, 1_250];
    const h = structuredHarness({ now: () => clock.shift() ?? 0 });
    await writeUserBatch(mixed, h.deps);
    expect(h.metrics.WriteLatency).toBe(250);
  });

  it('fails the invocation on an error that is not a bad record, before writing or dead-lettering anything', async () => {
    const h = harness();
    const bug = new TypeError('a bug in the decoder');
    await jest.isolateModulesAsync(async () => {
      jest.doMock('../shared/created-user', () => ({
        ...jest.requireActual('../shared/created-user'),
        parseCreatedUser: (value: { first_name?: string }) => {
          if (value.first_name === 'Jared') throw bug;
          return jest.requireActual('../shared/created-user').parseCreatedUser(value);
        },
      }));
      const { writeUserBatch: isolated } = await import('./write-user-batch');
      await expect(isolated(mixed, h.deps)).rejects.toBe(bug);
    });
    expect(h.written).toEqual([]);
    expect(h.deadLettered).toEqual([]);
  });

  it('answers an empty batch with nothing to retry', async () => {
    const h = harness();
    const empty: LambdaKafkaEvent = { ...mixed, records: {} };
    await expect(writeUserBatch(empty, h.deps)).resolves.toEqual({ batchItemFailures: [] });
    expect(h.metrics).toMatchObject({ BatchSize: 0, Written: 0, DeadLettered: 0, Failed: 0 });
  });

  it('names the write error as the cause when no row of a batch could be written', async () => {
    const valid: LambdaKafkaEvent = {
      ...mixed,
      records: { 'users_created-0': mixed.records['users_created-0'].filter((record) => [200, 202].includes(record.offset)) },
    };
    expect(Object.values(valid.records).flat()).toHaveLength(2);
    const h = harness({ writeRows: async (users) => users.map(() => new WriteTimeout('no replica answered')) });
    const error = await writeUserBatch(valid, h.deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BatchNotWrittenError);
    expect((error as Error).message).toContain('None of the 2 record(s) of the batch could be stored (WriteTimeout: no replica answered)');
  });

  it('names the dead-letter error as the cause when a batch of poison could not be dead-lettered', async () => {
    const validOffsets = [200, 202, 302];
    const poisonOnly: LambdaKafkaEvent = {
      ...mixed,
      records: Object.fromEntries(
        Object.entries(mixed.records).map(([key, records]) => [key, records.filter((record) => !validOffsets.includes(record.offset))]),
      ),
    };
    const h = harness({
      writeRows: async (users) => users.map(() => new WriteTimeout('no replica answered')),
      deadLetter: async () => Promise.reject(new Error('topic users_created.dlq is gone')),
    });
    const error = await writeUserBatch(poisonOnly, h.deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BatchNotWrittenError);
    expect((error as Error).message).toContain('None of the 6 record(s) of the batch could be stored (Error: topic users_created.dlq is gone)');
  });
});
