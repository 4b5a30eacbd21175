// `npm run dlq`, as an operator uses it after an outage: writeUsers could not reach Cassandra, the
// event-source mapping gave the records up to users_created.dlq; the cause is fixed, `redrive` puts
// them back on users_created, the mapping writes them, and a second redrive changes nothing.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import type { KafkaBatchResponse, LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { parseOnFailureRecord } from '../../infra/mapping/on-failure-record';
import { REDRIVEN_FROM_HEADER } from '../../infra/local/dlq/dead-letter-entry';
import { sleep } from '../../infra/local/stack/managed-process';
import { emulatorInvoking, mappingFor } from '../support/emulator-mapping';
import rows from '../support/expected-rows.json';
import { loadFunction, type LoadedFunction } from '../support/lambda';
import { run } from '../support/processes';
import { BROKERS, CONTACT_POINTS, readSince, testCassandra, testKafka, topicEnd } from '../support/services';

const HANDLER = path.resolve(__dirname, '../../functions/write-users/handler');
const kafka = testKafka();
const npm = (args: string[]) => run('npm', ['run', '-s', 'dlq', '--', ...args], { KAFKA_BROKERS: BROKERS.join(',') });

function emulatorFor(fn: LoadedFunction<LambdaKafkaEvent, KafkaBatchResponse>, group: string) {
  const mapping = mappingFor('users_created', {
    consumerGroupId: group,
    startingPosition: 'LATEST',
    maximumRetryAttempts: 1,
    reportBatchItemFailures: true,
    onFailureTopic: 'users_created.dlq',
  });
  return emulatorInvoking(mapping, fn);
}

describe('npm run dlq', () => {
  let cassandra: Client;
  beforeAll(() => {
    cassandra = testCassandra();
  });
  afterAll(() => cassandra.shutdown());

  it('lists the records the mapping gave up on without personal data, redrives their originals once the cause is fixed, and the rows land once', async () => {
    const since = new Date().toISOString();
    const group = `redrive-test-${randomUUID()}`;
    const users = rows.slice(0, 5).map((row) => ({ ...row, id: randomUUID() }));
    const ids = users.map((u) => u.id);

    // The outage: writeUsers pointed at a Cassandra that is not there; the mapping gives the batch up.
    const broken = loadFunction<LambdaKafkaEvent, KafkaBatchResponse>(HANDLER, {
      KAFKA_BROKERS: BROKERS.join(','),
      CASSANDRA_CONTACT_POINTS: '127.0.0.1:1',
      CASSANDRA_REQUEST_TIMEOUT_MS: '500',
    });
    const outage = emulatorFor(broken, group);
    await outage.start();
    const dlqFrom = await topicEnd(kafka, 'users_created.dlq');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'users_created',
      messages: users.map((u) => ({ key: u.id, value: JSON.stringify(u), headers: { 'content-type': 'application/json', 'schema-version': '1' } })),
    });
    await producer.disconnect();
    const given = await readSince(kafka, 'users_created.dlq', dlqFrom, 5, 60_000);
    await outage.stop();
    await broken.close();
    // AWS's on-failure record, keyed as the original: the value is the envelope, not the user.
    expect(given.map((m) => parseOnFailureRecord(m.value)?.requestContext.condition)).toEqual(Array(5).fill('RetriesExhausted'));
    expect(given.map((m) => m.key).sort()).toEqual([...ids].sort());

    const list = await npm(['list', '--reason', 'retries-exhausted', '--since', since]);
    expect(list.code).toBe(0);
    for (const m of given) expect(list.output).toContain(`${m.partition}:${m.offset}`);
    expect(list.output).toContain('5 record(s) on users_created.dlq: retries-exhausted 5');
    for (const u of users) for (const personal of [u.email, u.phone, u.first_name, u.last_name]) expect(list.output).not.toContain(personal);

    const shown = await npm(['show', `${given[0].partition}:${given[0].offset}`]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ writer: 'mapping', reason: 'retries-exhausted', source: { topic: 'users_created' } });
    expect(JSON.parse(shown.stdout).value.email).toMatch(/^<masked: \d+ chars>$/);
    const revealed = await npm(['show', `${given[0].partition}:${given[0].offset}`, '--reveal']);
    expect(users.map((u) => u.email)).toContain(JSON.parse(JSON.parse(revealed.stdout).value).email);

    // The cause fixed: writeUsers reaches Cassandra again and the mapping carries on.
    const fixed = loadFunction<LambdaKafkaEvent, KafkaBatchResponse>(HANDLER, {
      KAFKA_BROKERS: BROKERS.join(','),
      CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(','),
    });
    const mapping = emulatorFor(fixed, group);
    await mapping.start();
    try {
      const createdFrom = await topicEnd(kafka, 'users_created');
      const first = await npm(['redrive', '--reason', 'retries-exhausted', '--since', since]);
      expect(first.output).toContain('5 chosen, redrove 5 to users_created, 0 already redriven before');
      const second = await npm(['redrive', '--reason', 'retries-exhausted', '--since', since]);
      expect(second.output).toContain('5 chosen, redrove 0 to users_created, 5 already redriven before');

      // Exactly one copy of each on users_created, keyed as the original, naming its dead letter.
      const copies = await readSince(kafka, 'users_created', createdFrom, 6, 5000);
      expect(copies.map((m) => m.key).sort()).toEqual([...ids].sort());
      expect(copies.map((m) => m.headers[REDRIVEN_FROM_HEADER]).sort()).toEqual(given.map((m) => `${m.partition}:${m.offset}`).sort());
      expect(copies.every((m) => m.headers['schema-version'] === '1' && !('dlq-reason' in m.headers))).toBe(true);

      const stored = async () => (await cassandra.execute('SELECT id FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true })).rowLength;
      const deadline = Date.now() + 30_000;
      while ((await stored()) < 5 && Date.now() < deadline) await sleep(250);
      expect(await stored()).toBe(5);
    } finally {
      await mapping.stop();
      await fixed.close();
    }
  }, 120_000);

  it('says what it needs when a position is missing or malformed', async () => {
    const malformed = await npm(['show', 'zero']);
    expect(malformed.code).toBe(2);
    expect(malformed.output).toContain('dlq: show needs a position partition:offset');
    const since = await npm(['list', '--since', 'yesterday']);
    expect(since.output).toContain('--since "yesterday": give a duration back from now (30m, 2h, 1d) or an ISO time');
  });
});
