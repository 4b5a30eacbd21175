import { loadProducerConfig, loadWriterConfig } from './config';
import { ConfigurationError } from './errors';

describe('configuration', () => {
  it('defaults to the local stack and the public API', () => {
    expect(loadProducerConfig({})).toEqual({
      kafka: { brokers: ['127.0.0.1:9092'], clientId: 'realtime-data-streaming', ssl: false, auth: { mode: 'none' } },
      usersApi: { url: 'https://randomuser.me/api/', usersPerRun: 100, requestTimeoutMs: 5000, maxAttempts: 4, budgetMs: 20_000 },
    });
    expect(loadWriterConfig({}).cassandra).toEqual({
      contactPoints: ['127.0.0.1:9042'],
      localDataCenter: 'datacenter1',
      consistency: 'LOCAL_QUORUM',
      writeConcurrency: 32,
      requestTimeoutMs: 5000,
      auth: { mode: 'none' },
    });
  });

  it('reads the shared settings', () => {
    const config = loadWriterConfig({
      KAFKA_BROKERS: 'b-1:9092, b-2',
      CASSANDRA_CONTACT_POINTS: 'cassandra.local',
      CASSANDRA_LOCAL_DC: 'dc2',
      CASSANDRA_CONSISTENCY: 'ONE',
    });
    expect(config.kafka.brokers).toEqual(['b-1:9092', 'b-2:9092']);
    expect(config.cassandra).toMatchObject({ contactPoints: ['cassandra.local:9042'], localDataCenter: 'dc2', consistency: 'ONE' });
  });

  it('selects SASL/SCRAM with TLS, MSK IAM, and Keyspaces by configuration', () => {
    expect(loadProducerConfig({ KAFKA_AUTH: 'scram', KAFKA_SASL_SECRET_ARN: 'arn:secret' }).kafka).toMatchObject({
      ssl: true,
      auth: { mode: 'scram', secretArn: 'arn:secret' },
    });
    expect(loadProducerConfig({ KAFKA_AUTH: 'iam', AWS_REGION: 'eu-west-1' }).kafka.auth).toEqual({ mode: 'iam', region: 'eu-west-1' });
    const keyspaces = loadWriterConfig({ CASSANDRA_AUTH: 'keyspaces', AWS_REGION: 'eu-west-1', CASSANDRA_CONTACT_POINTS: 'cassandra.eu-west-1.amazonaws.com' });
    expect(keyspaces.cassandra).toMatchObject({ contactPoints: ['cassandra.eu-west-1.amazonaws.com:9142'], auth: { mode: 'keyspaces' } });
  });

  it('reports every bad setting at once, by name, with what was expected', () => {
    let error: unknown;
    try {
      loadProducerConfig({ USERS_PER_RUN: 'lots', USERS_API_URL: 'ftp://x', KAFKA_AUTH: 'scram' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems).toEqual([
      'KAFKA_SASL_SECRET_ARN is required',
      'USERS_API_URL must be an http(s) URL, got "ftp://x"',
      'USERS_PER_RUN must be an integer from 1 to 50000, got "lots"',
    ]);
  });

  it('rejects an unknown consistency level', () => {
    expect(() => loadWriterConfig({ CASSANDRA_CONSISTENCY: 'SOME' })).toThrow(/CASSANDRA_CONSISTENCY must be one of ONE, LOCAL_ONE, QUORUM, LOCAL_QUORUM/);
  });
});
