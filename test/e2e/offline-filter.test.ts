import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import type { Admin } from 'kafkajs';
import { recordedUsers } from '../../infra/local/users-api/recorded-users';
import type { RandomUser } from '../../functions/produce-users/random-user';
import { toCreatedUser } from '../../functions/produce-users/to-created-user';
import { Background, PROJECT_ROOT, SLS } from '../support/processes';
import { BROKERS, CONTACT_POINTS, testCassandra, testKafka } from '../support/services';
import { localEncoder } from '../support/registry';
import { createTopicsWithLeaders } from '../../infra/local/stack/topics-with-leaders';

// A filter written in serverless.yml where osls documents it, under writeUsers' kafka event of the
// local stage (custom.writeUsersTrigger.local.kafka), run by sls offline: only matching records reach
// writeUsers, and the skipped ones are committed all the same. The project's own serverless.yml, with
// those lines added, on a topic of this test's own (the stage parameter usersCreatedTopic).
const STAGE = `e2efilter${randomUUID().slice(0, 6)}`;
const TOPIC = `e2e-filter-${randomUUID().slice(0, 8)}`;
const CONFIG = `serverless.${STAGE}.yml`;

function configWithFilter(): string {
  const original = fs.readFileSync(path.join(PROJECT_ROOT, 'serverless.yml'), 'utf8');
  const block = '    local:\n      kafka:\n';
  const at = original.indexOf(block);
  expect(at).toBeGreaterThan(0);
  const filter = ['        filterPatterns:', '          - value:', '              gender: [female]', ''].join('\n');
  return original.slice(0, at + block.length) + filter + original.slice(at + block.length);
}

describe('sls offline with an osls-form filter in serverless.yml', () => {
  let cassandra: Client;
  let admin: Admin;
  let offline: Background;
  const users = (recordedUsers().slice(2) as RandomUser[]).map(toCreatedUser);
  const female = users.filter((u) => u.gender === 'female').map((u) => u.id);
  const male = users.filter((u) => u.gender === 'male').map((u) => u.id);

  beforeAll(async () => {
    expect(female.length).toBeGreaterThan(0);
    expect(male.length).toBeGreaterThan(0);
    cassandra = testCassandra();
    await cassandra.execute('DELETE FROM spark_streams.created_users WHERE id IN ?', [users.map((u) => u.id)], { prepare: true });
    admin = testKafka().admin();
    await admin.connect();
    await createTopicsWithLeaders(admin, [{ topic: TOPIC, numPartitions: 2 }]);
    fs.writeFileSync(path.join(PROJECT_ROOT, CONFIG), configWithFilter());
    offline = new Background(
      SLS,
      ['offline', 'start', '--config', CONFIG, '--stage', STAGE, '--param', 'kafka=local', '--param', `usersCreatedTopic=${TOPIC}`, '--noSponsor'],
      {
        KAFKA_BROKERS: BROKERS.join(','),
        CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(','),
        OFFLINE_HTTP_PORT: '3131',
        OFFLINE_LAMBDA_PORT: '3132',
      },
    );
    await offline.waitFor(`[kafka-esm] writeUsers: consuming ${TOPIC}`);
  }, 120_000);

  afterAll(async () => {
    await offline?.stop();
    fs.rmSync(path.join(PROJECT_ROOT, CONFIG), { force: true });
    await admin?.deleteTopics({ topics: [TOPIC] }).catch(() => undefined);
    await admin?.disconnect();
    await cassandra?.shutdown();
  });

  it('writes only the matching records, filtered on the record the registry deserialised, and commits the skipped ones too', async () => {
    const producer = testKafka().producer();
    await producer.connect();
    // Avro in the registry's wire format, as produceUsers publishes: the filter reads the record the
    // mapping's registry deserialised, as AWS applies filters after deserialising.
    const encoder = await localEncoder();
    const values = encoder.encodeAll(users);
    await producer.send({ topic: TOPIC, messages: users.map((user, i) => ({ key: user.id, value: values[i] })) });
    await producer.disconnect();

    const rowsOf = async (ids: string[]) =>
      (await cassandra.execute('SELECT id FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true })).rowLength;
    const group = `realtime-data-streaming-${STAGE}-writeUsers-${TOPIC}`; // the stage's named group
    const committed = async () =>
      (await admin.fetchOffsets({ groupId: group, topics: [TOPIC] }))[0].partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    const deadline = Date.now() + 60_000;
    while ((await rowsOf(female)) < female.length || (await committed()) < users.length) {
      if (Date.now() > deadline) throw new Error(`not all female rows written or offsets committed:\n${offline.output.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await rowsOf(female)).toBe(female.length);
    expect(await rowsOf(male)).toBe(0);
    expect(await committed()).toBe(users.length);
  });
});
