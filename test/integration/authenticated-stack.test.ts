// The pipeline's functions on a stack that demands logins: Kafka's SASL/SCRAM-SHA-512 listener, with
// the credentials read from a Secrets Manager secret as in AWS (moto's Secrets Manager), and Cassandra
// with PasswordAuthenticator. A private stack of the native launcher on free ports, in a temp dir, so
// the shared stack of the other tests stays open.
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { auth, Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaBatchResponse } from '../../contract/lambda-kafka-event';
import type { ProduceUsersSummary } from '../../functions/produce-users/fetch-and-publish';
import { LocalStack } from '../../infra/local/stack/local-stack';
import { KafkaBroker } from '../../infra/local/stack/kafka-broker';
import { findJava } from '../../infra/local/stack/java';
import { RegistryDeserialiser } from '../../infra/local/kafka-emulator/registry-deserialiser';
import { KafkaEventSourceEmulator } from '../../infra/local/kafka-emulator/kafka-event-source-emulator';
import type { LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { mappingFor } from '../support/emulator-mapping';
import { stackSettings } from '../../infra/local/stack/stack-settings';
import { RandomUserStandIn } from '../../infra/local/users-api/random-user-stand-in';
import { ensurePythonTools } from '../../infra/local/tools/python-tools';
import { AwsApiEmulator } from '../support/aws-api-emulator';
import { passwordCheckedStack, type PasswordCheckedStack } from '../support/password-checked-stack';
import { captureOutput, loadFunction } from '../support/lambda';
import { loadEvent } from '../support/load-event';
import { createTopicsWithLeaders } from '../../infra/local/stack/topics-with-leaders';

const PRODUCE = path.resolve(__dirname, '../../functions/produce-users/handler');
const WRITE = path.resolve(__dirname, '../../functions/write-users/handler');

jest.setTimeout(240_000);

describe('the functions on a stack that demands logins', () => {
  const aws = new AwsApiEmulator();
  const standIn = new RandomUserStandIn();
  let scramUser: PasswordCheckedStack['scramUser'];
  let cassandraUser: PasswordCheckedStack['cassandraUser'];
  let stack: LocalStack;
  let removeStack: (() => Promise<void>) | undefined;
  let env: Record<string, string>;

  const secret = (name: string, value: object) => aws.createSecret(name, value);

  beforeAll(async () => {
    ensurePythonTools();
    ({
      stack,
      scramUser,
      cassandraUser,
      remove: removeStack,
    } = await passwordCheckedStack('auth-stack', (line) => process.stderr.write(`[auth-stack] ${line}\n`)));
    await Promise.all([stack.up(), aws.start()]);
    // The functions create their Secrets Manager client on first use, after loadFunction has put the
    // environment back: the AWS part of it stays for the whole file, as it does in a Lambda.
    Object.assign(process.env, aws.env);
    env = {
      ...aws.env,
      USERS_API_URL: await standIn.start(),
      KAFKA_BROKERS: stack.settings.kafka.scram!.broker,
      KAFKA_AUTH: 'scram',
      KAFKA_SSL: 'false',
      CASSANDRA_CONTACT_POINTS: stack.settings.cassandra.contactPoints[0],
    };
  });

  afterAll(async () => {
    for (const name of Object.keys(aws.env)) delete process.env[name];
    await Promise.allSettled([removeStack?.(), aws.stop(), standIn.stop()]);
  });

  it('publishes through SASL/SCRAM with credentials from a secret, and writeUsers lands the batch as a password-checked role', async () => {
    const kafkaSecret = await secret('kafka-scram', scramUser);
    const producer = loadFunction<unknown, ProduceUsersSummary>(PRODUCE, { ...env, USERS_PER_RUN: '5', KAFKA_SASL_SECRET_ARN: kafkaSecret });
    try {
      await expect(producer.invoke(loadEvent('produce-users.schedule.json'))).resolves.toEqual({ fetched: 5, published: 5, rejected: 0 });
    } finally {
      await producer.close();
    }

    // Consume what was published through the same SCRAM listener, as the event-source mapping does.
    const kafka = new Kafka({
      brokers: [env.KAFKA_BROKERS],
      sasl: { mechanism: 'scram-sha-512', ...scramUser },
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `auth-test-${randomUUID()}` });
    const records: Array<{ key: string; value: Buffer; partition: number; offset: string }> = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: 'users_created', fromBeginning: true });
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ partition, message }) => {
            records.push({ key: message.key!.toString(), value: message.value!, partition, offset: message.offset });
            if (records.length === 5) resolve();
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }

    const cassandraSecret = await secret('cassandra-password', cassandraUser);
    const writer = loadFunction<unknown, KafkaBatchResponse>(WRITE, {
      ...env,
      CASSANDRA_AUTH: 'password',
      CASSANDRA_SECRET_ARN: cassandraSecret,
      KAFKA_SASL_SECRET_ARN: kafkaSecret,
    });
    // As the mapping delivers them: validated against the registry and deserialised to JSON.
    const deserialiser = new RegistryDeserialiser({
      uri: stackSettings().schemaRegistry.url,
      eventRecordFormat: 'JSON',
      validate: ['VALUE'],
      accessConfigs: [],
    });
    const delivered = await deserialiser.deserialiseAll(
      records.map((r) => ({
        topic: 'users_created',
        partition: r.partition,
        offset: Number(r.offset),
        timestamp: Date.now(),
        key: r.key,
        value: r.value,
      })),
    );
    expect(delivered.every((result) => result.ok)).toBe(true);
    const event = {
      eventSource: 'SelfManagedKafka',
      bootstrapServers: env.KAFKA_BROKERS,
      records: { 'users_created-0': delivered.map((result) => result.record) },
    };
    try {
      await expect(writer.invoke(event)).resolves.toEqual({ batchItemFailures: [] });
    } finally {
      await writer.close();
    }

    // Read back as the role the stack created: the rows are there, and the role is no superuser.
    const client = new Client({
      contactPoints: [env.CASSANDRA_CONTACT_POINTS],
      localDataCenter: 'datacenter1',
      authProvider: new auth.PlainTextAuthProvider(cassandraUser.username, cassandraUser.password),
    });
    try {
      const keys = records.map((r) => r.key);
      const rows = await client.execute('SELECT id FROM spark_streams.created_users WHERE id IN ?', [keys], { prepare: true });
      expect(rows.rows.map((row) => row.id.toString()).sort()).toEqual([...keys].sort());
      await expect(client.execute("CREATE KEYSPACE intruder WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")).rejects.toThrow(
        /Unauthorized|permission/i,
      );
    } finally {
      await client.shutdown();
    }
  });

  it('refuses a wrong Kafka password with an error that names the login and the secret to fix', async () => {
    const wrong = await secret('kafka-scram-wrong', { ...scramUser, password: 'not-the-password' });
    const producer = loadFunction<unknown, ProduceUsersSummary>(PRODUCE, { ...env, USERS_PER_RUN: '5', KAFKA_SASL_SECRET_ARN: wrong });
    try {
      const run = await captureOutput(() => producer.invoke(loadEvent('produce-users.schedule.json')));
      expect(run.error).toMatchObject({ name: 'PublishFailedError' });
      const cause = (run.error as Error).cause as Error;
      expect(cause).toMatchObject({ name: 'LoginRefusedError', service: 'Kafka' });
      expect(cause.message).toContain(`Kafka at ${env.KAFKA_BROKERS} refused the login`);
      expect(cause.message).toContain(`KAFKA_SASL_SECRET_ARN=${wrong}`);
      expect(cause.message).toMatch(/SASL SCRAM SHA512 authentication failed/);
      expect(run.output).not.toContain('not-the-password');
    } finally {
      await producer.close();
    }
  });

  it('refuses a wrong Cassandra password with an error that names the login to fix, and retries the batch', async () => {
    const writer = loadFunction<unknown, KafkaBatchResponse>(WRITE, {
      ...env,
      CASSANDRA_AUTH: 'password',
      CASSANDRA_USERNAME: cassandraUser.username,
      CASSANDRA_PASSWORD: 'not-the-password',
      KAFKA_SASL_SECRET_ARN: await secret('kafka-scram', scramUser),
    });
    try {
      const run = await captureOutput(() => writer.invoke(loadEvent('write-users.self-managed.json')));
      expect(run.error).toMatchObject({ name: 'BatchNotWrittenError' });
      const cause = (run.error as Error).cause as Error;
      expect(cause).toMatchObject({ name: 'LoginRefusedError', service: 'Cassandra' });
      expect(cause.message).toContain(`Cassandra at ${env.CASSANDRA_CONTACT_POINTS} refused the login`);
      expect(cause.message).toContain(`CASSANDRA_USERNAME=${cassandraUser.username} and CASSANDRA_PASSWORD`);
      expect(run.output).not.toContain('not-the-password');
    } finally {
      await writer.close();
    }
  });

  it('rides out a rotated SCRAM password: a warm produceUsers whose connection is lost logs in again with the secret’s new value', async () => {
    const rotating = await secret('kafka-scram-rotating', scramUser);
    const producer = loadFunction<unknown, ProduceUsersSummary>(PRODUCE, { ...env, USERS_PER_RUN: '5', KAFKA_SASL_SECRET_ARN: rotating });
    const rotated = { ...scramUser, password: randomBytes(12).toString('hex') };
    try {
      await expect(producer.invoke(loadEvent('produce-users.schedule.json'))).resolves.toEqual({ fetched: 5, published: 5, rejected: 0 });
      // The rotation, as Secrets Manager's rotation function does it: the user's password on the
      // cluster, then the secret's value. The warm container still holds the old one, cached.
      const broker = new KafkaBroker({ ...stack.settings, kafka: { ...stack.settings.kafka, scram: { ...stack.settings.kafka.scram!, user: rotated } } });
      await broker.ensureScramUser(findJava(), () => undefined);
      await aws.putSecretValue(rotating, rotated);
      // Its connection lost (a broker restart): the reconnect with the cached password is refused.
      await stack.kafka.process.stop();
      await stack.startService(stack.kafka);
      const run = await captureOutput(() => producer.invoke(loadEvent('produce-users.schedule.json')));
      expect(run.error).toBeUndefined();
      expect(run.result).toEqual({ fetched: 5, published: 5, rejected: 0 });
      expect(run.output).toContain('login refused; reading the secrets again and reconnecting once');
      expect(run.output).not.toContain(rotated.password);
      expect(run.output).not.toContain(scramUser.password);
    } finally {
      await producer.close();
      // The other tests log in with the stack's own password again.
      await stack.kafka.ensureScramUser(findJava(), () => undefined);
    }
  });

  it('consumes as the mapping does with SASL_SCRAM_512_AUTH: logs in with the secret, and after a rotation reads it again', async () => {
    const rotating = await secret('kafka-scram-mapping', scramUser);
    const topic = `auth-mapping-${randomUUID()}`;
    const mapping = mappingFor(topic, {}, { bootstrapServers: [env.KAFKA_BROKERS], accessConfigurations: { saslScram512Auth: [rotating] } });
    expect(mapping.saslScram512SecretArn).toBe(rotating);
    const delivered: string[] = [];
    const logs: string[] = [];
    const emulator = new KafkaEventSourceEmulator(mapping, {
      invoke: async (_name, event: LambdaKafkaEvent) => {
        for (const batch of Object.values(event.records)) for (const record of batch) delivered.push(Buffer.from(record.value!, 'base64').toString());
        return { ok: true, response: { batchItemFailures: [] } };
      },
      log: (line) => logs.push(line),
      retryDelayMs: () => 200,
    });
    const admin = new Kafka({ brokers: [stack.settings.kafka.brokers[0]], logLevel: logLevel.NOTHING }).admin();
    const send = async (values: string[]) => {
      const producer = new Kafka({ brokers: [stack.settings.kafka.brokers[0]], logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      await producer.send({ topic, messages: values.map((value) => ({ value })) });
      await producer.disconnect();
    };
    const until = async (count: number) => {
      const deadline = Date.now() + 60_000;
      while (delivered.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    };
    const rotated = { ...scramUser, password: randomBytes(12).toString('hex') };
    await admin.connect();
    try {
      await createTopicsWithLeaders(admin, [{ topic, numPartitions: 1 }]);
      await emulator.start();
      await send(['before-1', 'before-2']);
      await until(2);
      expect(delivered).toEqual(['before-1', 'before-2']);
      // Rotated as a rotation function does it, then the broker restarts: the consumer's new login
      // with the password it read at start is refused, and the next one reads the secret again.
      const broker = new KafkaBroker({ ...stack.settings, kafka: { ...stack.settings.kafka, scram: { ...stack.settings.kafka.scram!, user: rotated } } });
      await broker.ensureScramUser(findJava(), () => undefined);
      await aws.putSecretValue(rotating, rotated);
      await admin.disconnect();
      await stack.kafka.process.stop();
      await stack.startService(stack.kafka);
      await admin.connect();
      await send(['after-1']);
      await until(3);
      expect(delivered).toEqual(['before-1', 'before-2', 'after-1']);
      expect(logs.join('\n')).toContain("Kafka refused the mapping's login; reading its secret again");
      expect(logs.join('\n')).not.toContain(rotated.password);
    } finally {
      await emulator.stop();
      await admin.disconnect();
      await stack.kafka.ensureScramUser(findJava(), () => undefined);
    }
  });

  it('rides out a rotated Cassandra password: a warm writeUsers whose connections are lost logs in again with the secret’s new value', async () => {
    const rotating = await secret('cassandra-rotating', cassandraUser);
    const writer = loadFunction<unknown, KafkaBatchResponse>(WRITE, {
      ...env,
      CASSANDRA_AUTH: 'password',
      CASSANDRA_SECRET_ARN: rotating,
      KAFKA_SASL_SECRET_ARN: await secret('kafka-scram', scramUser),
    });
    const rotated = { ...cassandraUser, password: randomBytes(12).toString('hex') };
    const admin = new Client(stack.cassandra.adminClientOptions());
    const setPassword = (password: string) => admin.execute(`ALTER ROLE ${cassandraUser.username} WITH PASSWORD = '${password}'`);
    try {
      await expect(writer.invoke(loadEvent('write-users.self-managed.json'))).resolves.toEqual({ batchItemFailures: [] });
      await admin.connect();
      await setPassword(rotated.password);
      await aws.putSecretValue(rotating, rotated);
      await admin.shutdown();
      // Its connections lost (a node restart): the pool reconnects with the cached password, refused.
      await stack.cassandra.process.stop();
      await stack.startService(stack.cassandra);
      // As the mapping does: the batch again after a failed invocation, until it is written. The driver
      // finds the refusal when it next tries the node; the following invocation logs in anew.
      const runs: Array<Awaited<ReturnType<typeof captureOutput>>> = [];
      for (let attempt = 0; attempt < 8; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
        runs.push(await captureOutput(() => writer.invoke(loadEvent('write-users.self-managed.json'))));
        if (runs.at(-1)!.error === undefined) break;
      }
      const last = runs.at(-1)!;
      expect(last.error).toBeUndefined();
      expect(last.result).toEqual({ batchItemFailures: [] });
      const output = runs.map((run) => run.output).join('\n');
      expect(output).toContain('login refused; reading the secrets again and reconnecting once');
      expect(output).not.toContain(rotated.password);
    } finally {
      await writer.close();
      const restore = new Client(stack.cassandra.adminClientOptions());
      await restore.execute(`ALTER ROLE ${cassandraUser.username} WITH PASSWORD = '${cassandraUser.password}'`).finally(() => restore.shutdown());
    }
  });
});
