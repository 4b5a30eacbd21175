// docs/schemas.md's procedure for adding a field, run end to end on the real registry, Kafka and
// Cassandra: version 1 registered, records of version 1 and version 2 (the contract's current schema,
// which adds nationality) on one topic at once, every one written; the breaking changes refused by
// the registry before any record exists; a record naming an unregistered schema id dead-lettered by
// the mapping with nothing else lost; and the table change applied to a table that lacks the column.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { CREATED_USER_SCHEMA, schemaText, valueSubject } from '../../contract/created-user-schema';
import version1 from '../../contract/schema-history/created-user.v1.avsc.json';
import { readCqlTable } from '../../contract/cql-table';
import type { KafkaBatchResponse, LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { frame } from '../../contract/wire-format';
import { openCreatedUserEncoder } from '../../functions/produce-users/created-user-encoder';
import type { CreatedUser } from '../../functions/shared/created-user';
import { SchemaRegistryError } from '../../functions/shared/schema-registry';
import { parseOnFailureRecord } from '../../infra/mapping/on-failure-record';
import { addNewColumns } from '../../infra/local/stack/provision';
import { stackSettings } from '../../infra/local/stack/stack-settings';
import { registerContractSchemas } from '../../infra/schemas/register';
import { emulatorInvoking, mappingFor } from '../support/emulator-mapping';
import rows from '../support/expected-rows.json';
import { loadFunction } from '../support/lambda';
import { localRegistry } from '../support/registry';
import { BROKERS, CONTACT_POINTS, readSince, testCassandra, testKafka, topicEnd } from '../support/services';
import { createTopicsWithLeaders } from '../../infra/local/stack/topics-with-leaders';

const HANDLER = path.resolve(__dirname, '../../functions/write-users/handler');
const kafka = testKafka();
const registry = localRegistry();
const withField = (field: object) => ({ ...CREATED_USER_SCHEMA, fields: [...CREATED_USER_SCHEMA.fields, field] });
const without = (name: string) => ({ ...CREATED_USER_SCHEMA, fields: CREATED_USER_SCHEMA.fields.filter((field) => field.name !== name) });
const retyped = (name: string, type: string) => ({
  ...CREATED_USER_SCHEMA,
  fields: CREATED_USER_SCHEMA.fields.map((field) => (field.name === name ? { ...field, type } : field)),
});

describe('evolving the users_created schema', () => {
  let cassandra: Client;
  beforeAll(() => {
    cassandra = testCassandra();
  });
  afterAll(() => cassandra.shutdown());

  it('refuses a removed field, a retyped field and a new required field before any record is published', async () => {
    const subject = valueSubject(`evolution-refusals-${randomUUID().slice(0, 8)}`);
    await registerContractSchemas(registry, { subject });
    const before = await registry.versions(subject);
    for (const breaking of [without('phone'), retyped('post_code', 'int'), withField({ name: 'country_code', type: 'string' })]) {
      const refused = registry.register(subject, schemaText(breaking));
      await expect(refused).rejects.toThrow(SchemaRegistryError);
      await expect(refused).rejects.toMatchObject({ failure: 'incompatible' });
      // And a producer built on it has no id to publish with: it is not registered.
      await expect(openCreatedUserEncoder(registry, { subject, schema: breaking })).rejects.toMatchObject({ failure: 'not-registered' });
    }
    expect(await registry.versions(subject)).toEqual(before);
    expect(await registry.compatibility(subject)).toBe('FULL_TRANSITIVE');
  });

  it('writes records of version 1 and version 2 on one topic at once, and dead-letters one naming an unregistered schema id with nothing else lost', async () => {
    const topic = `evolution-${randomUUID().slice(0, 8)}`;
    const subject = valueSubject(topic);
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsWithLeaders(admin, [{ topic, numPartitions: 2 }]);

    // Step 1 of docs/schemas.md as it was before version 2: version 1 registered alone.
    const [v1Id] = (await registerContractSchemas(registry, { subject, history: [version1] })).ids;
    const oldProducer = await openCreatedUserEncoder(registry, { subject, schema: version1 });
    // Step 2: version 2 registered (the registry checks it against version 1), then produced with.
    const v2Id = await registry.register(subject, schemaText(CREATED_USER_SCHEMA));
    const newProducer = await openCreatedUserEncoder(registry, { subject });
    expect([oldProducer.schemaId, newProducer.schemaId]).toEqual([v1Id, v2Id]);
    expect(v2Id).not.toBe(v1Id);

    const users = rows.slice(0, 8).map((row) => ({ ...(row as unknown as CreatedUser), id: randomUUID() }));
    const v1Users = users.slice(0, 4).map(({ nationality: _dropped, ...rest }) => rest as CreatedUser);
    const v2Users = users.slice(4).map((user, i) => ({ ...user, nationality: i === 0 ? null : `N${i}` }));
    const unknownId = 2_000_000_000;
    const stray = { key: `stray-${randomUUID()}`, value: frame(unknownId, newProducer.encodeAll([v2Users[1]])[0].subarray(5)) };

    const writer = loadFunction<LambdaKafkaEvent, KafkaBatchResponse>(HANDLER, {
      KAFKA_BROKERS: BROKERS.join(','),
      CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(','),
    });
    const mapping = emulatorInvoking(
      mappingFor(topic, {
        reportBatchItemFailures: true,
        onFailureTopic: 'users_created.dlq',
        schemaRegistry: { uri: stackSettings().schemaRegistry.url, eventRecordFormat: 'JSON', validate: ['VALUE'], accessConfigs: [] },
      }),
      writer,
    );
    const dlqFrom = await topicEnd(kafka, 'users_created.dlq');
    await mapping.start();
    try {
      const producer = kafka.producer();
      await producer.connect();
      // Interleaved, as an old and a new producer would publish during a rollout.
      const v1Values = oldProducer.encodeAll(v1Users);
      const v2Values = newProducer.encodeAll(v2Users);
      const messages = v1Users.flatMap((user, i) => [
        { key: user.id, value: v1Values[i] },
        { key: v2Users[i].id, value: v2Values[i] },
      ]);
      await producer.send({ topic, messages: [...messages.slice(0, 4), stray, ...messages.slice(4)] });
      await producer.disconnect();

      const [dead] = await readSince(kafka, 'users_created.dlq', dlqFrom, 1, 60_000);
      expect(dead.key).toBe(stray.key);
      expect(parseOnFailureRecord(dead.value)?.requestContext.condition).toBe('SchemaValidationFailed');

      const ids: string[] = users.map((user) => user.id);
      const read = async () =>
        (await cassandra.execute('SELECT id, nationality, first_name FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true })).rows;
      const deadline = Date.now() + 60_000;
      while ((await read()).length < users.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      const stored = new Map((await read()).map((row) => [row.id.toString(), row]));
      expect(stored.size).toBe(users.length);
      for (const user of v1Users) expect(stored.get(user.id)).toMatchObject({ first_name: user.first_name, nationality: null });
      expect(v2Users.map((user) => stored.get(user.id)?.nationality)).toEqual([null, 'N1', 'N2', 'N3']);
      // Nothing of this topic but the stray went to the dead-letter topic.
      const more = await readSince(kafka, 'users_created.dlq', dlqFrom, 2, 2000);
      expect(more.filter((message) => message.key !== stray.key && ids.includes(String(message.key)))).toEqual([]);
    } finally {
      await mapping.stop();
      await writer.close();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  }, 120_000);

  it('adds the new column to a table created before it, from schema.cql, and leaves every other column as it was', async () => {
    const keyspace = `evolution_${randomUUID().slice(0, 8)}`;
    const table = readCqlTable();
    const before = table.columns.filter((column) => column.name !== 'nationality');
    await cassandra.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}`);
    try {
      await cassandra.execute(
        `CREATE TABLE ${keyspace}.${table.table} (${before.map((column) => `${column.name} ${column.type}${column.name === 'id' ? ' PRIMARY KEY' : ''}`).join(', ')})`,
      );
      expect(await addNewColumns(cassandra, { ...table, keyspace })).toEqual(['nationality']);
      // Applied again, it finds nothing to add.
      expect(await addNewColumns(cassandra, { ...table, keyspace })).toEqual([]);
      const columns = await cassandra.execute(
        'SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
        [keyspace, table.table],
        {
          prepare: true,
        },
      );
      expect(new Map(columns.rows.map((row) => [row.column_name, row.type]))).toEqual(new Map(table.columns.map((column) => [column.name, column.type])));
    } finally {
      await cassandra.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    }
  });
});
