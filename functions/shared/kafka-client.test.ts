import net from 'node:net';
import { Partitioners } from 'kafkajs';
import type { KafkaConfig } from './config';
import { LoginRefusedError } from './errors';
import { createKafka, loginRefused, saslFor, tlsFor } from './kafka-client';
import { containerProducer } from './producer';

describe("KafkaJS's log, through the function's logger", () => {
  it('keeps warnings, and drops only the one about limited retries of the idempotent producer', async () => {
    const warnings: string[] = [];
    const kafka = await createKafka(
      { brokers: ['127.0.0.1:1'], clientId: 'test', ssl: false, auth: { mode: 'none' } },
      { warn: (message) => warnings.push(message) },
    );
    // KafkaJS warns here, at creation, as it does at every cold start of the functions.
    kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    kafka.logger().warn('a broker went away', { broker: '127.0.0.1:1' });
    kafka.logger().info('connected');
    expect(warnings).toEqual(['kafkajs: a broker went away']);
  });
});

describe('a refused Kafka login', () => {
  const config = (auth: KafkaConfig['auth']): KafkaConfig => ({ brokers: ['b-1:9096', 'b-2:9096'], clientId: 'c', ssl: true, auth });
  const saslFailure = Object.assign(
    new Error('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials'),
    {
      name: 'KafkaJSSASLAuthenticationError',
    },
  );

  it.each([
    [{ mode: 'none' } as const, 'nowhere (KAFKA_AUTH=none): the brokers demand a login, so set KAFKA_AUTH'],
    [
      { mode: 'scram', secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:k' } as const,
      'the secret KAFKA_SASL_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:1:secret:k (SASL/SCRAM-SHA-512)',
    ],
    [{ mode: 'iam', region: 'eu-west-1' } as const, "the function's IAM role (MSK IAM, kafka-cluster:Connect)"],
  ])('is a LoginRefusedError naming the brokers and where the credentials came from (%o)', (auth, source) => {
    const error = loginRefused(config(auth), saslFailure);
    expect(error).toBeInstanceOf(LoginRefusedError);
    expect((error as LoginRefusedError).cause).toBe(saslFailure);
    expect((error as Error).message).toBe(
      `Kafka at b-1:9096,b-2:9096 refused the login (KafkaJSSASLAuthenticationError: ${saslFailure.message}). The credentials come from ${source}: check the username and password there, and that the user exists on the cluster.`,
    );
  });

  it('leaves any other error as it was', () => {
    const down = Object.assign(new Error('Connection timeout'), { name: 'KafkaJSConnectionError' });
    expect(loginRefused(config({ mode: 'none' }), down)).toBe(down);
    expect(loginRefused(config({ mode: 'none' }), undefined)).toBeUndefined();
  });

  it("passes KafkaJS's warning fields on by name", async () => {
    const warnings: [string, Record<string, unknown>][] = [];
    const kafka = await createKafka(config({ mode: 'none' }), { warn: (message, extra) => warnings.push([message, extra]) });
    kafka.logger().warn('Connection error', { broker: 'b-1:9096', error: 'ECONNREFUSED' });
    expect(warnings).toEqual([['kafkajs: Connection error', { kafkaNamespace: undefined, broker: 'b-1:9096', error: 'ECONNREFUSED', clientId: undefined }]]);
  });
});

describe('the SASL mechanism for each access mode', () => {
  const config = (auth: KafkaConfig['auth']): KafkaConfig => ({ brokers: ['b-1:9098'], clientId: 'c', ssl: true, auth });

  it('uses none for plaintext', async () => {
    await expect(saslFor(config({ mode: 'none' }))).resolves.toBeUndefined();
  });

  it("signs MSK IAM tokens for the region with the function's credentials", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: '' });
    try {
      const sasl = await saslFor(config({ mode: 'iam', region: 'eu-west-1' }));
      expect(sasl).toMatchObject({ mechanism: 'oauthbearer' });
      const { value } = await (sasl as { oauthBearerProvider: () => Promise<{ value: string }> }).oauthBearerProvider();
      // The token is a presigned kafka-cluster:Connect URL, base64url-encoded.
      const url = new URL(Buffer.from(value, 'base64url').toString('utf8'));
      expect(url.host).toBe('kafka.eu-west-1.amazonaws.com');
      expect(url.searchParams.get('Action')).toBe('kafka-cluster:Connect');
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-west-1\/kafka-cluster\/aws4_request$/);
    } finally {
      process.env = saved;
    }
  });
});

describe('a broker that refuses every connection', () => {
  it('is given up on after three retries, within seconds: a Lambda’s timeout is short and the schedule retries', async () => {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      const kafka = await createKafka({ brokers: [`127.0.0.1:${port}`], clientId: 'c', ssl: false, auth: { mode: 'none' } }, { warn: () => undefined });
      const error = await kafka
        .admin()
        .connect()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded', retryCount: 3 });
      expect(connections).toBe(4);
    } finally {
      server.close();
    }
  });
});

describe('TLS to the brokers', () => {
  const base = { brokers: ['k:9096'], clientId: 'c', auth: { mode: 'none' as const } };

  it('is as configured, with Node’s public roots, when no private CA is named', async () => {
    await expect(tlsFor({ ...base, ssl: true })).resolves.toBe(true);
    await expect(tlsFor({ ...base, ssl: false })).resolves.toBe(false);
  });

  it('stays off when TLS is off, whatever CA is named', async () => {
    await expect(tlsFor({ ...base, ssl: false, rootCaSecretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:ca' })).resolves.toBe(false);
  });

  it('trusts the private root CA read from its secret, in place of the public roots', async () => {
    await jest.isolateModulesAsync(async () => {
      jest.doMock('./secrets', () => ({ readRootCertificate: async (arn: string) => `PEM of ${arn}` }));
      const { tlsFor: isolated } = await import('./kafka-client');
      await expect(isolated({ ...base, ssl: true, rootCaSecretArn: 'arn:ca' })).resolves.toEqual({ ca: ['PEM of arn:ca'] });
    });
  });
});

describe('the container’s producer', () => {
  it('fails to open with the broker’s own error when the brokers cannot be reached (only a refused login is renamed)', async () => {
    const producer = containerProducer({ brokers: ['127.0.0.1:1'], clientId: 'c', ssl: false, auth: { mode: 'none' } }, { warn: () => undefined });
    await expect(producer.get()).rejects.toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded' });
  }, 30_000);
});
