import path from 'node:path';
import { RandomUserStandIn } from '../../infra/local/users-api/random-user-stand-in';
import { recordedUsers } from '../../infra/local/users-api/recorded-users';
import type { ProduceUsersSummary } from '../../functions/produce-users/fetch-and-publish';
import type { RandomUser } from '../../functions/produce-users/random-user';
import { expectedRow } from '../support/expected-row';
import { decodeUser, localRegistry } from '../support/registry';
import { CREATED_USER_SUBJECT, schemaText } from '../../contract/created-user-schema';
import { captureOutput, loadFunction } from '../support/lambda';
import { loadEvent } from '../support/load-event';
import { BROKERS, readSince, testKafka, topicEnd } from '../support/services';

const HANDLER = path.resolve(__dirname, '../../functions/produce-users/handler');
const kafka = testKafka();
const tick = loadEvent('produce-users.schedule.json');

describe('produceUsers against the recorded API and the real broker', () => {
  let standIn: RandomUserStandIn;
  let url: string;

  afterEach(() => standIn.stop());

  it('publishes USERS_PER_RUN users in the seed shape, keyed by login.uuid, as the contract’s registered schema, with the invocation’s traceparent', async () => {
    standIn = new RandomUserStandIn();
    url = await standIn.start();
    const fn = loadFunction<unknown, ProduceUsersSummary>(HANDLER, { USERS_API_URL: url, USERS_PER_RUN: '5', KAFKA_BROKERS: BROKERS.join(',') });
    // The X-Ray header Lambda's runtime sets before each invocation (AWS's example): the records carry it as W3C traceparent.
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const from = await topicEnd(kafka, 'users_created');
    try {
      await expect(fn.invoke(tick)).resolves.toEqual({ fetched: 5, published: 5, rejected: 0 });
    } finally {
      delete process.env._X_AMZN_TRACE_ID;
      await fn.close();
    }

    const messages = await readSince(kafka, 'users_created', from, 5);
    const expected = (recordedUsers().slice(0, 5) as RandomUser[]).map(expectedRow);
    expect(messages).toHaveLength(5);
    const byKey = new Map(messages.map((m) => [m.key, m]));
    for (const row of expected) {
      const message = byKey.get(row.id)!;
      expect(message).toBeDefined();
      const { schemaId, user: value } = await decodeUser(message.value!);
      expect(schemaId).toBe(await localRegistry().idOf(CREATED_USER_SUBJECT, schemaText()));
      expect(value).toEqual(row);
      expect(Object.keys(value)).toEqual(Object.keys(row));
      expect(typeof value.post_code).toBe('string');
      expect(message.headers).toEqual({ traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01' });
    }
  });

  it('rejects a record the row cannot be built from, counts and logs why, and publishes the rest', async () => {
    const broken = structuredClone(recordedUsers()[2]) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    delete broken.login.uuid;
    standIn = new RandomUserStandIn([recordedUsers()[0], broken, recordedUsers()[1]]);
    url = await standIn.start();
    const fn = loadFunction<unknown, ProduceUsersSummary>(HANDLER, { USERS_API_URL: url, USERS_PER_RUN: '3', KAFKA_BROKERS: BROKERS.join(',') });
    const from = await topicEnd(kafka, 'users_created');
    const run = await captureOutput(() => fn.invoke(tick));
    await fn.close();

    expect(run.result).toEqual({ fetched: 3, published: 2, rejected: 1 });
    expect(run.output).toContain('"reason":"login.uuid: invalid_type"');
    expect(run.output).not.toContain(broken.email);
    expect(run.output).not.toContain(broken.phone);
    const messages = await readSince(kafka, 'users_created', from, 2);
    expect(messages.map((m) => m.key).sort()).toEqual([(recordedUsers()[0] as RandomUser).login.uuid, (recordedUsers()[1] as RandomUser).login.uuid].sort());
  });
});
