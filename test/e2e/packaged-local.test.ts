// The `local` stage's zips, as `sls package` builds them, run the way the nodejs24.x runtime runs them
// (a bare Node 24 with nothing on NODE_PATH, outside the repository, the template's environment) and
// invoked with the sample events against the real Kafka and Cassandra.
import { decodeUser } from '../support/registry';
import type { Client } from 'cassandra-driver';
import { RandomUserStandIn } from '../../infra/local/users-api/random-user-stand-in';
import { recordedUsers } from '../../infra/local/users-api/recorded-users';
import { runBare, unpackFunction, type PackagedFunction } from '../../infra/local/tools/bare-lambda';
import type { RandomUser } from '../../functions/produce-users/random-user';
import { loadEvent } from '../support/load-event';
import { packageStage } from '../support/packaged-template';
import { BROKERS, CONTACT_POINTS, readSince, testCassandra, testKafka, topicEnd } from '../support/services';

const kafka = testKafka();
let produceUsers: PackagedFunction;
let writeUsers: PackagedFunction;
let cassandra: Client;

beforeAll(async () => {
  const { dir } = await packageStage('local', [], { KAFKA_BROKERS: BROKERS.join(','), CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(',') });
  produceUsers = unpackFunction(dir, 'produceUsers');
  writeUsers = unpackFunction(dir, 'writeUsers');
  cassandra = testCassandra();
}, 120_000);
afterAll(() => cassandra?.shutdown());

describe('the local stage’s zips in a bare nodejs24.x runtime', () => {
  it('writeUsers’ zip writes the sample batch’s rows and dead-letters its poison', async () => {
    expect(writeUsers.environment.CASSANDRA_CONTACT_POINTS).toBe(CONTACT_POINTS.join(','));
    const ids = (recordedUsers().slice(0, 3) as RandomUser[]).map((u) => u.login.uuid);
    await cassandra.execute('DELETE FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true });
    const dlqFrom = await topicEnd(kafka, 'users_created.dlq');

    const run = await runBare(writeUsers, { event: loadEvent('write-users.mixed-batch.json') });
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual({ batchItemFailures: [] });
    const rows = await cassandra.execute('SELECT id FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true });
    expect(rows.rowLength).toBe(3);
    const poison = await readSince(kafka, 'users_created.dlq', dlqFrom, 6);
    expect(poison).toHaveLength(6);
    expect(new Set(poison.map((m) => m.headers['dlq-reason'])).size).toBeGreaterThan(1);
  }, 90_000);

  it('produceUsers’ zip publishes users to users_created', async () => {
    const standIn = new RandomUserStandIn();
    const url = await standIn.start();
    const from = await topicEnd(kafka, 'users_created');
    try {
      const run = await runBare(produceUsers, { event: loadEvent('produce-users.schedule.json'), env: { USERS_API_URL: url, USERS_PER_RUN: '4' } });
      expect(run.error).toBeUndefined();
      expect(run.result).toMatchObject({ fetched: 4, published: 4 });
    } finally {
      await standIn.stop();
    }
    const published = await readSince(kafka, 'users_created', from, 4);
    const users = await Promise.all(published.map(async (m) => (await decodeUser(m.value!)).user));
    expect(users.map((user) => user.id).sort()).toEqual(published.map((m) => m.key).sort());
    expect(published).toHaveLength(4);
  }, 90_000);
});
