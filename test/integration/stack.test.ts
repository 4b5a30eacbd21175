import { LocalStack } from '../../infra/local/stack/local-stack';
import { stackSettings } from '../../infra/local/stack/stack-settings';
import { Kafka, logLevel } from 'kafkajs';
import { BROKERS, CONTACT_POINTS, readSince, testCassandra, testKafka, topicEnd } from '../support/services';
import { randomUUID } from 'node:crypto';

describe('the local stack serves the real Kafka and Cassandra the pipeline needs', () => {
  it('has both pipeline topics', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).toEqual(expect.arrayContaining(['users_created', 'users_created.dlq']));
  });

  it('answers on every address of KAFKA_BROKERS alone', async () => {
    // CI runs the single broker with two addresses, and it listens on both; a cluster has one per broker.
    const { nodes } = stackSettings();
    for (const broker of BROKERS) {
      const admin = new Kafka({ clientId: 'listener-probe', brokers: [broker], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.disconnect();
      expect(`${broker} ${cluster.brokers.length}`).toBe(`${broker} ${nodes}`);
    }
  });

  it('produces and consumes a record on users_created', async () => {
    const kafka = testKafka();
    const from = await topicEnd(kafka, 'users_created');
    const producer = kafka.producer();
    await producer.connect();
    const key = randomUUID();
    await producer.send({ topic: 'users_created', messages: [{ key, value: '{"probe":true}', headers: { probe: 'yes' } }] });
    await producer.disconnect();
    const messages = await readSince(kafka, 'users_created', from, 1);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ key, headers: { probe: 'yes' } });
    expect(messages[0].value?.toString()).toBe('{"probe":true}');
  });

  it('writes and reads a row of spark_streams.created_users', async () => {
    const client = testCassandra();
    const id = randomUUID();
    try {
      await client.execute('INSERT INTO spark_streams.created_users (id, first_name, post_code) VALUES (?, ?, ?)', [id, 'Zoë', '90592'], { prepare: true });
      const row = (await client.execute('SELECT first_name, post_code FROM spark_streams.created_users WHERE id = ?', [id], { prepare: true })).first();
      expect(row).toMatchObject({ first_name: 'Zoë', post_code: '90592' });
    } finally {
      await client.execute('DELETE FROM spark_streams.created_users WHERE id = ?', [id], { prepare: true });
      await client.shutdown();
    }
  });

  it('confirms a running stack on a second `up` without starting anything', async () => {
    const logs: string[] = [];
    const report = await new LocalStack(undefined, (line) => logs.push(line)).up();
    expect(Object.values(report.states)).not.toContain('started');
    expect(report.createdTopics).toEqual([]);
    expect(logs.join('\n')).toContain(CONTACT_POINTS[0]);
  });
});
