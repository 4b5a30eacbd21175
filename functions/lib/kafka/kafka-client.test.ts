import { Partitioners } from 'kafkajs';
import type { KafkaConfig } from '../config';
import { LoginRefusedError } from '../errors';
import { createKafka, loginRefused } from './kafka-client';

describe("KafkaJS's log, through the function's logger", () => {
  it('keeps warnings, and drops only the one about limited retries of the idempotent producer', async () => {
    const warnings: string[] = [];
    const kafka = await createKafka({ brokers: ['127.0.0.1:1'], clientId: 'test', ssl: false, auth: { mode: 'none' } }, { warn: (message) => warnings.push(message) });
    // KafkaJS warns here, at creation, as it does at every cold start of the functions.
    kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    kafka.logger().warn('a broker went away', { broker: '127.0.0.1:1' });
    kafka.logger().info('connected');
    expect(warnings).toEqual(['kafkajs: a broker went away']);
  });
});

describe('a refused Kafka login', () => {
  const config = (auth: KafkaConfig['auth']): KafkaConfig => ({ brokers: ['b-1:9096', 'b-2:9096'], clientId: 'c', ssl: true, auth });
  const saslFailure = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials'), {
    name: 'KafkaJSSASLAuthenticationError',
  });

  it.each([
    [{ mode: 'none' } as const, 'nowhere (KAFKA_AUTH=none): the brokers demand a login, so set KAFKA_AUTH'],
    [{ mode: 'scram', secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:k' } as const, 'the secret KAFKA_SASL_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:1:secret:k (SASL/SCRAM-SHA-512)'],
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
