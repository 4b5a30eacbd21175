import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { CREATED_USER_FIELDS } from '../../functions/shared/created-user';
import { DLQ_HEADERS } from '../../contract/dead-letter-headers';
import type { KafkaBatchResponse, LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { recordsOf } from '../../contract/lambda-kafka-event';
import { recordedUsers } from '../../infra/local/users-api/recorded-users';
import type { RandomUser } from '../../functions/produce-users/random-user';
import { expectedRow } from '../support/expected-row';
import { captureOutput, loadFunction, type LoadedFunction } from '../support/lambda';
import { loadEvent } from '../support/load-event';
import { BROKERS, CONTACT_POINTS, countAllRows, readSince, testCassandra, testKafka, topicEnd } from '../support/services';

const HANDLER = path.resolve(__dirname, '../../functions/write-users/handler');
const kafka = testKafka();

export async function rowsFor(client: Client, ids: string[]): Promise<Record<string, string>[]> {
  const result = await client.execute(`SELECT ${CREATED_USER_FIELDS.join(', ')} FROM spark_streams.created_users WHERE id IN ?`, [ids], { prepare: true });
  return result.rows.map((row) => Object.fromEntries(CREATED_USER_FIELDS.map((f) => [f, f === 'id' ? row[f].toString() : row[f]])));
}

describe('writeUsers against real Cassandra and Kafka', () => {
  let cassandra: Client;
  let fn: LoadedFunction<unknown, KafkaBatchResponse>;
  const fixtures = recordedUsers() as RandomUser[];
  const ids = fixtures.map((raw) => raw.login.uuid);

  beforeAll(async () => {
    cassandra = testCassandra();
    fn = loadFunction(HANDLER, { KAFKA_BROKERS: BROKERS.join(','), CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(',') });
  });
  beforeEach(() => cassandra.execute('DELETE FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true }));
  afterAll(async () => {
    await fn.close();
    await cassandra.shutdown();
  });

  it('lands a batch built from the recorded users with every column as the fixture implies, and a replay adds no rows', async () => {
    const event = loadEvent<LambdaKafkaEvent>('write-users.self-managed.json');
    await expect(fn.invoke(event)).resolves.toEqual({ batchItemFailures: [] });
    const rows = await rowsFor(cassandra, ids);
    const byId = (a: Record<string, string>, b: Record<string, string>) => a.id.localeCompare(b.id);
    expect(rows.sort(byId)).toEqual(fixtures.map(expectedRow).sort(byId));

    // The whole table, not the fixture ids: a replay that wrote a row under any other id would show.
    const before = await countAllRows(cassandra);
    await expect(fn.invoke(event)).resolves.toEqual({ batchItemFailures: [] });
    expect(await countAllRows(cassandra)).toBe(before);
  });

  it('writes a row too large to share a request alone, and its neighbours beside it', async () => {
    // 60,000 characters of address: in one request with its neighbours, Cassandra refused the whole
    // request ("Batch too large", over batch_size_fail_threshold), and every retry grouped them again.
    const event = loadEvent<LambdaKafkaEvent>('write-users.self-managed.json');
    const records = recordsOf(event);
    const large = records[1];
    const user = JSON.parse(Buffer.from(large.value!, 'base64').toString('utf8')) as Record<string, string>;
    large.value = Buffer.from(JSON.stringify({ ...user, address: 'x'.repeat(60_000) })).toString('base64');
    await expect(fn.invoke(event)).resolves.toEqual({ batchItemFailures: [] });
    const rows = await rowsFor(cassandra, ids);
    expect(rows).toHaveLength(records.length);
    expect(rows.find((row) => row.id === user.id)?.address).toHaveLength(60_000);
  });

  it('accepts the MSK form of the event', async () => {
    await expect(fn.invoke(loadEvent('write-users.msk.json'))).resolves.toEqual({ batchItemFailures: [] });
    expect(await rowsFor(cassandra, ids)).toHaveLength(5);
  });

  it('writes the valid rows of a mixed batch, dead-letters the poison with reason headers, reports nothing for retry, and logs no personal data', async () => {
    const event = loadEvent<LambdaKafkaEvent>('write-users.mixed-batch.json');
    const from = await topicEnd(kafka, 'users_created.dlq');
    const run = await captureOutput(() => fn.invoke(event));
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual({ batchItemFailures: [] });

    const rows = await rowsFor(cassandra, ids);
    expect(rows.map((r) => `${r.first_name} ${r.post_code}`).sort()).toEqual(['Bently Z4B 4T0', 'Cristian 91530', 'Jared 90592']);

    const dead = await readSince(kafka, 'users_created.dlq', from, 6);
    expect(dead).toHaveLength(6);
    const sources = new Map(recordsOf(event).map((r) => [`${r.partition}/${r.offset}`, r]));
    const reasons = dead.map((m) => `${m.headers[DLQ_HEADERS.sourcePartition]}/${m.headers[DLQ_HEADERS.sourceOffset]}:${m.headers[DLQ_HEADERS.reason]}`);
    expect(reasons.sort()).toEqual(['0/201:not-json', '1/300:invalid-id', '1/301:invalid-id', '2/400:not-utf8', '2/401:schema-invalid', '2/402:not-base64']);
    for (const message of dead) {
      const source = sources.get(`${message.headers[DLQ_HEADERS.sourcePartition]}/${message.headers[DLQ_HEADERS.sourceOffset]}`)!;
      expect(message.headers[DLQ_HEADERS.sourceTopic]).toBe('users_created');
      if (message.headers[DLQ_HEADERS.reason] !== 'not-base64') {
        expect(message.value?.toString('base64')).toBe(source.value);
        expect(message.headers['content-type']).toBe('application/json');
      } else {
        expect(message.value?.toString('utf8')).toBe(source.value);
      }
    }

    for (const raw of fixtures) {
      expect(run.output).not.toContain(raw.email);
      expect(run.output).not.toContain(raw.phone);
    }
    expect(run.output).toContain('"DeadLettered":6');
    expect(run.output).toContain('"Written":3');
  });
});
