import { loadProducerConfig, loadWriterConfig } from './config';
import { ConfigurationError } from './errors';

describe('configuration', () => {
  it('defaults to the local stack and the public API', () => {
    expect(loadProducerConfig({})).toEqual({
      kafka: { brokers: ['127.0.0.1:9092'], clientId: 'realtime-data-streaming', ssl: false, auth: { mode: 'none' } },
      usersApi: { url: 'https://randomuser.me/api/', usersPerRun: 100, requestTimeoutMs: 5000, maxAttempts: 4, budgetMs: 20_000 },
      schemaRegistry: { url: 'http://127.0.0.1:8081/apis/ccompat/v7' },
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

  // Each documented setting, read into its own field: a typo in a name would leave the default in place.
  it.each([
    ['USERS_PER_RUN', '250', (env: Record<string, string>) => loadProducerConfig(env).usersApi.usersPerRun, 250],
    ['USERS_API_TIMEOUT_MS', '1500', (env: Record<string, string>) => loadProducerConfig(env).usersApi.requestTimeoutMs, 1500],
    ['USERS_API_MAX_ATTEMPTS', '7', (env: Record<string, string>) => loadProducerConfig(env).usersApi.maxAttempts, 7],
    ['USERS_API_BUDGET_MS', '45000', (env: Record<string, string>) => loadProducerConfig(env).usersApi.budgetMs, 45_000],
    ['USERS_API_URL', 'http://127.0.0.1:3999/api/', (env: Record<string, string>) => loadProducerConfig(env).usersApi.url, 'http://127.0.0.1:3999/api/'],
    ['KAFKA_CLIENT_ID', 'my-client', (env: Record<string, string>) => loadProducerConfig(env).kafka.clientId, 'my-client'],
    ['KAFKA_SSL', 'true', (env: Record<string, string>) => loadProducerConfig(env).kafka.ssl, true],
    ['CASSANDRA_WRITE_CONCURRENCY', '64', (env: Record<string, string>) => loadWriterConfig(env).cassandra.writeConcurrency, 64],
    ['CASSANDRA_REQUEST_TIMEOUT_MS', '9000', (env: Record<string, string>) => loadWriterConfig(env).cassandra.requestTimeoutMs, 9000],
    ['CASSANDRA_LOCAL_DC', 'eu-west-1', (env: Record<string, string>) => loadWriterConfig(env).cassandra.localDataCenter, 'eu-west-1'],
  ])('reads %s (set to "%s")', (name, value, read, expected) => {
    expect(read({ [name]: `  ${value}  ` })).toEqual(expected);
  });

  it('names the Lambda function as the Kafka client when no client id is set', () => {
    expect(loadProducerConfig({ AWS_LAMBDA_FUNCTION_NAME: 'rds-dev-produceUsers' }).kafka.clientId).toBe('rds-dev-produceUsers');
  });

  it('takes an integer setting at both ends of its range and refuses one past either end', () => {
    expect(loadProducerConfig({ USERS_API_MAX_ATTEMPTS: '1' }).usersApi.maxAttempts).toBe(1);
    expect(loadProducerConfig({ USERS_API_MAX_ATTEMPTS: '10' }).usersApi.maxAttempts).toBe(10);
    expect(() => loadProducerConfig({ USERS_API_MAX_ATTEMPTS: '0' })).toThrow('USERS_API_MAX_ATTEMPTS must be an integer from 1 to 10, got "0"');
    expect(() => loadProducerConfig({ USERS_API_MAX_ATTEMPTS: '11' })).toThrow('USERS_API_MAX_ATTEMPTS must be an integer from 1 to 10, got "11"');
    expect(() => loadProducerConfig({ USERS_API_MAX_ATTEMPTS: '2.5' })).toThrow('got "2.5"');
  });

  it('reads true/false/1/0 in any case for a boolean, and refuses anything else by name', () => {
    const ssl = (value: string) => loadProducerConfig({ KAFKA_SSL: value }).kafka.ssl;
    expect([ssl('true'), ssl('TRUE'), ssl('1'), ssl(' True ')]).toEqual([true, true, true, true]);
    expect(loadProducerConfig({ KAFKA_AUTH: 'scram', KAFKA_SASL_SECRET_ARN: 'arn:s', KAFKA_SSL: 'false' }).kafka.ssl).toBe(false);
    expect(loadProducerConfig({ KAFKA_AUTH: 'scram', KAFKA_SASL_SECRET_ARN: 'arn:s', KAFKA_SSL: '0' }).kafka.ssl).toBe(false);
    expect(loadProducerConfig({ KAFKA_AUTH: 'scram', KAFKA_SASL_SECRET_ARN: 'arn:s', KAFKA_SSL: 'FALSE' }).kafka.ssl).toBe(false);
    expect(loadProducerConfig({ KAFKA_SSL: '' }).kafka.ssl).toBe(false);
    expect(() => ssl('yes')).toThrow('KAFKA_SSL must be true or false, got "yes"');
  });

  it('treats a setting of only spaces as unset', () => {
    expect(loadWriterConfig({ CASSANDRA_LOCAL_DC: '   ', CASSANDRA_WRITE_CONCURRENCY: ' ', CASSANDRA_CONSISTENCY: '  ' }).cassandra).toMatchObject({
      localDataCenter: 'datacenter1',
      writeConcurrency: 32,
      consistency: 'LOCAL_QUORUM',
    });
    expect(() => loadProducerConfig({ KAFKA_AUTH: 'scram', KAFKA_SASL_SECRET_ARN: '  ' })).toThrow('KAFKA_SASL_SECRET_ARN is required');
  });

  it('accepts http and https API URLs only', () => {
    expect(loadProducerConfig({ USERS_API_URL: 'http://localhost:3000/api/' }).usersApi.url).toBe('http://localhost:3000/api/');
    expect(() => loadProducerConfig({ USERS_API_URL: 'not a url' })).toThrow('USERS_API_URL must be an http(s) URL, got "not a url"');
    expect(() => loadProducerConfig({ USERS_API_URL: 'file:///etc/passwd' })).toThrow('USERS_API_URL must be an http(s) URL');
  });

  it('reports a broker list that is not host:port by name, and keeps reading the rest', () => {
    let error: unknown;
    try {
      loadWriterConfig({ KAFKA_BROKERS: 'http://b-1:9092', CASSANDRA_WRITE_CONCURRENCY: '0' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigurationError).problems).toEqual([
      expect.stringMatching(/^KAFKA_BROKERS must be a comma-separated host:port list/),
      'CASSANDRA_WRITE_CONCURRENCY must be an integer from 1 to 512, got "0"',
    ]);
  });

  it('takes Cassandra credentials from the environment, or from a secret when its ARN is set', () => {
    expect(loadWriterConfig({ CASSANDRA_AUTH: 'password', CASSANDRA_USERNAME: 'writer', CASSANDRA_PASSWORD: 'pw' }).cassandra.auth).toEqual({
      mode: 'password',
      username: 'writer',
      password: 'pw',
    });
    expect(loadWriterConfig({ CASSANDRA_AUTH: 'password', CASSANDRA_SECRET_ARN: 'arn:aws:secretsmanager:x' }).cassandra.auth).toEqual({
      mode: 'password-secret',
      secretArn: 'arn:aws:secretsmanager:x',
    });
    let error: unknown;
    try {
      loadWriterConfig({ CASSANDRA_AUTH: 'password' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigurationError).problems).toEqual(['CASSANDRA_USERNAME is required', 'CASSANDRA_PASSWORD is required']);
    expect(loadWriterConfig({ CASSANDRA_USERNAME: 'ignored' }).cassandra.auth).toEqual({ mode: 'none' });
    expect(loadWriterConfig({ CASSANDRA_AUTH: 'none', CASSANDRA_USERNAME: 'ignored' }).cassandra.auth).toEqual({ mode: 'none' });
    expect(() => loadWriterConfig({ CASSANDRA_AUTH: 'kerberos' })).toThrow('CASSANDRA_AUTH must be one of none, password, keyspaces, got "kerberos"');
  });

  it('uses port 9042 for a contact point without one, and 9142 (TLS) for Keyspaces', () => {
    expect(loadWriterConfig({ CASSANDRA_CONTACT_POINTS: 'db' }).cassandra.contactPoints).toEqual(['db:9042']);
    expect(loadWriterConfig({ CASSANDRA_AUTH: 'keyspaces', AWS_REGION: 'us-east-1', CASSANDRA_CONTACT_POINTS: 'db' }).cassandra).toMatchObject({
      contactPoints: ['db:9142'],
      auth: { mode: 'keyspaces', region: 'us-east-1' },
    });
  });

  it('refuses contact points on different ports: the driver reaches every node it discovers on one port', () => {
    expect(loadWriterConfig({ CASSANDRA_CONTACT_POINTS: '127.0.0.1:19042,127.0.0.2:19042' }).cassandra.contactPoints).toEqual([
      '127.0.0.1:19042',
      '127.0.0.2:19042',
    ]);
    for (const points of ['127.0.0.1:9042,127.0.0.2:19042', '127.0.0.1:9042,127.0.0.2:9043']) {
      expect(() => loadWriterConfig({ CASSANDRA_CONTACT_POINTS: points })).toThrow(
        `CASSANDRA_CONTACT_POINTS must name one port for every node, got "${points}"`,
      );
    }
    expect(() => loadWriterConfig({ CASSANDRA_CONTACT_POINTS: 'db:port' })).toThrow(/CASSANDRA_CONTACT_POINTS.*db:port/);
  });

  it('reads a private root CA secret for the brokers only when KAFKA_ROOT_CA_SECRET_ARN names one', () => {
    expect(loadProducerConfig({ KAFKA_ROOT_CA_SECRET_ARN: ' arn:aws:secretsmanager:eu-west-1:1:secret:ca ' }).kafka.rootCaSecretArn).toBe(
      'arn:aws:secretsmanager:eu-west-1:1:secret:ca',
    );
    expect(loadProducerConfig({}).kafka).not.toHaveProperty('rootCaSecretArn');
    expect(loadProducerConfig({ KAFKA_ROOT_CA_SECRET_ARN: '  ' }).kafka).not.toHaveProperty('rootCaSecretArn');
  });
});
