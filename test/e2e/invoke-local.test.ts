import type { Client } from 'cassandra-driver';
import { RandomUserStandIn } from '../../infra/local/users-api/random-user-stand-in';
import { recordedUsers } from '../../infra/local/users-api/recorded-users';
import type { RandomUser } from '../../functions/produce-users/random-user';
import { run, SLS } from '../support/processes';
import { decodeUser } from '../support/registry';
import { BROKERS, CONTACT_POINTS, countAllRows, readSince, testCassandra, testKafka, topicEnd } from '../support/services';

// The issues' "must show" commands, run as a developer types them.
const kafka = testKafka();
const env = { KAFKA_BROKERS: BROKERS.join(','), CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(',') };

describe('sls invoke local', () => {
  let cassandra: Client;
  beforeAll(() => (cassandra = testCassandra()));
  afterAll(() => cassandra.shutdown());

  it('ends with a failing exit code after a failure, having said which setting is wrong', async () => {
    // The run() helper kills a command still running after 60 s and fails the test: a hang cannot pass.
    const result = await run(
      SLS,
      ['invoke', 'local', '-f', 'produceUsers', '--path', 'events/produce-users.schedule.json'],
      { ...env, USERS_PER_RUN: '0' },
      60_000,
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain('USERS_PER_RUN must be an integer from 1 to 50000, got "0"');
  }, 90_000);

  it('produceUsers publishes USERS_PER_RUN records in the seed shape, keyed and identified by login.uuid', async () => {
    const standIn = new RandomUserStandIn();
    const url = await standIn.start();
    const from = await topicEnd(kafka, 'users_created');
    try {
      const result = await run(SLS, ['invoke', 'local', '-f', 'produceUsers', '--path', 'events/produce-users.schedule.json'], {
        ...env,
        USERS_API_URL: url,
        USERS_PER_RUN: '5',
      });
      expect(result.code).toBe(0);
      expect(result.output).toMatch(/"fetched": 5,\s*"published": 5,\s*"rejected": 0/);
    } finally {
      await standIn.stop();
    }
    const messages = await readSince(kafka, 'users_created', from, 5);
    const uuids = (recordedUsers().slice(0, 5) as RandomUser[]).map((u) => u.login.uuid);
    expect(messages.map((m) => m.key).sort()).toEqual([...uuids].sort());
    for (const message of messages) {
      const { user: value } = await decodeUser(message.value!);
      expect(value.id).toBe(message.key);
      expect(typeof value.post_code).toBe('string');
      expect(Object.keys(value)).toEqual([
        'id',
        'first_name',
        'last_name',
        'gender',
        'address',
        'post_code',
        'email',
        'username',
        'dob',
        'registered_date',
        'phone',
        'picture',
        'nationality',
      ]);
    }
  });

  it('writeUsers writes a mixed batch, dead-letters its poison, reports none for retry, prints no personal data, and a replay adds no rows', async () => {
    const ids = (recordedUsers().slice(0, 3) as RandomUser[]).map((u) => u.login.uuid);
    await cassandra.execute('DELETE FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true });
    const from = await topicEnd(kafka, 'users_created.dlq');
    const invoke = () => run(SLS, ['invoke', 'local', '-f', 'writeUsers', '--path', 'events/write-users.mixed-batch.json'], env);

    const first = await invoke();
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/"batchItemFailures": \[\]/);
    for (const raw of recordedUsers() as RandomUser[]) {
      expect(first.output).not.toContain(raw.email);
      expect(first.output).not.toContain(raw.phone);
    }
    expect(await readSince(kafka, 'users_created.dlq', from, 6)).toHaveLength(6);
    const rows = await cassandra.execute('SELECT id FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true });
    expect(rows.rowLength).toBe(3);

    // The replay adds no row anywhere in the table, not only among the fixture ids.
    const before = await countAllRows(cassandra);
    expect((await invoke()).code).toBe(0);
    expect(await countAllRows(cassandra)).toBe(before);
  });
});
