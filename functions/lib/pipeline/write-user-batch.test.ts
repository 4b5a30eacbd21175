import { loadEvent } from '../../../test/support/load-event';
import { BatchNotWrittenError } from '../errors';
import type { PoisonRecord } from '../kafka/dead-letter';
import type { LambdaKafkaEvent } from '../kafka/lambda-kafka-event';
import type { CreatedUser } from '../users/created-user';
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

  it('logs ids, offsets and reasons, never an email or a phone number', async () => {
    const h = harness({ writeRows: async (users) => users.map(() => new Error('timeout')) });
    await writeUserBatch(mixed, h.deps);
    const text = h.logs.join('\n');
    expect(text).toContain('invalid-id');
    expect(text).not.toMatch(/@example\.com/);
    expect(text).not.toContain('(467) 283-4767');
  });
});
