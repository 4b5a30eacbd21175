// Property-based tests of the decode and validation path: whatever bytes, keys, headers and JSON a
// batch carries, writeUserBatch never throws for one record's sake, and accounts for every record as
// written, dead-lettered with a named reason, or reported for retry.
import fc from 'fast-check';
import type { PoisonReason } from '../shared/errors';
import type { PoisonRecord } from './dead-letter';
import type { LambdaKafkaEvent, LambdaKafkaRecord } from '../../contract/lambda-kafka-event';
import { CreatedUserSchema, type CreatedUser } from '../shared/created-user';
import { writeUserBatch, type WriteUserBatchDeps } from './write-user-batch';

const REASONS: PoisonReason[] = ['missing-value', 'not-base64', 'not-utf8', 'not-json', 'schema-invalid', 'invalid-id'];
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const meter = { count: () => undefined, milliseconds: () => undefined };

const validUser = fc.record({
  id: fc.uuid({ version: 4 }),
  first_name: fc.string(),
  last_name: fc.string(),
  gender: fc.constantFrom('female', 'male', ''),
  address: fc.string(),
  post_code: fc.oneof(fc.string(), fc.integer()),
  email: fc.string(),
  username: fc.string(),
  dob: fc.string(),
  registered_date: fc.string(),
  phone: fc.string(),
  picture: fc.string(),
});

/** A valid record with one thing wrong: a field gone, a field of another type, a bad id. */
const nearValidUser = fc
  .tuple(validUser, fc.constantFrom(...Object.keys(CreatedUserSchema.shape)), fc.oneof(fc.constant(undefined), fc.jsonValue(), fc.string()))
  .map(([user, field, value]) => {
    const copy: Record<string, unknown> = { ...user };
    if (value === undefined) delete copy[field];
    else copy[field] = value;
    return copy;
  });

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const value = fc.oneof(
  fc.constant(undefined),
  fc.constant(''),
  fc.string().map((s) => `!${s}`), // never base64
  fc.uint8Array({ maxLength: 64 }).map(b64), // arbitrary bytes, often not UTF-8
  fc.jsonValue().map((v) => b64(JSON.stringify(v) ?? 'null')),
  fc.string().map(b64), // UTF-8 text that is rarely JSON
  validUser.map((u) => b64(JSON.stringify(u))),
  nearValidUser.map((u) => b64(JSON.stringify(u))),
);
const headers = fc.array(fc.dictionary(fc.string({ maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 }), { maxKeys: 2 }), {
  maxLength: 3,
});
const record = fc.record({ value, key: fc.option(fc.uint8Array({ maxLength: 16 }).map(b64), { nil: undefined }), headers, timestamp: fc.integer({ min: 0 }) });

function eventOf(records: Array<{ value?: string; key?: string; headers: LambdaKafkaRecord['headers']; timestamp: number }>): LambdaKafkaEvent {
  const built = records.map((r, offset) => ({ topic: 'users_created', partition: offset % 3, offset, timestampType: 'CREATE_TIME' as const, ...r }));
  const grouped: Record<string, LambdaKafkaRecord[]> = {};
  for (const r of built) (grouped[`users_created-${r.partition}`] ??= []).push(r as LambdaKafkaRecord);
  return { eventSource: 'SelfManagedKafka', bootstrapServers: 'k:9092', records: grouped };
}

function harness(failWrite: (user: CreatedUser) => boolean = () => false) {
  const written: CreatedUser[] = [];
  const deadLettered: PoisonRecord[] = [];
  const deps: WriteUserBatchDeps = {
    writeRows: async (users) => users.map((user) => (failWrite(user) ? new Error('WriteTimeout') : void written.push(user))),
    deadLetter: async (poison) => void deadLettered.push(...poison),
    logger: quiet,
    meter,
  };
  return { deps, written, deadLettered };
}

describe('writeUserBatch on arbitrary batches', () => {
  it('writes or dead-letters every record, with a named reason, and never throws for one record', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 30 }), async (records) => {
        const h = harness();
        const response = await writeUserBatch(eventOf(records), h.deps);
        expect(response.batchItemFailures).toEqual([]);
        expect(h.written.length + h.deadLettered.length).toBe(records.length);
        if (h.written.length > 0) seen.add('written');
        for (const letter of h.deadLettered) {
          seen.add(letter.reason);
          expect(REASONS).toContain(letter.reason);
          expect(letter.detail.length).toBeGreaterThan(0);
        }
        for (const user of h.written) expect(CreatedUserSchema.safeParse(user).success).toBe(true);
      }),
      { numRuns: 300 },
    );
    // The generators reach every outcome, so the property is not true for want of cases.
    expect([...seen].sort()).toEqual(['written', ...REASONS].sort());
  });

  it('reports exactly the rows the store refused, and never a poison record, for retry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 15 }), async (records, seed) => {
        // Refuse some rows by their id, deterministically.
        const refuse = (user: CreatedUser) => (user.id.charCodeAt(0) + seed) % 3 === 0;
        const h = harness(refuse);
        const event = eventOf(records);
        let response;
        try {
          response = await writeUserBatch(event, h.deps);
        } catch (error) {
          // Only when nothing at all was stored: the mapping retries the whole batch.
          expect((error as Error).name).toBe('BatchNotWrittenError');
          expect(h.written.length + h.deadLettered.length).toBe(0);
          return;
        }
        const reported = response.batchItemFailures.map((f) => `${f.itemIdentifier.partition}:${f.itemIdentifier.offset}`);
        expect(reported.length + h.written.length + h.deadLettered.length).toBe(records.length);
        const poison = new Set(h.deadLettered.map((p) => `${p.record.topic}-${p.record.partition}:${p.record.offset}`));
        for (const id of reported) expect(poison.has(id)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
