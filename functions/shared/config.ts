// The functions' settings, read from the environment once at cold start into typed objects. Every
// problem is reported at once, each with its setting's name and what was expected.
import { DEFAULT_SCHEMA_REGISTRY_URL } from './schema-registry';
import { ConfigurationError } from './errors';
import { hostPortSetting } from './host-port-list';
import { SettingsReader } from './settings-reader';

type Env = Record<string, string | undefined>;

export type KafkaAuth = { mode: 'none' } | { mode: 'scram'; secretArn: string } | { mode: 'iam'; region: string };

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  /** A Secrets Manager secret holding the root CA the brokers' certificates chain to, when private. */
  rootCaSecretArn?: string;
  auth: KafkaAuth;
}

export type CassandraAuth =
  | { mode: 'none' }
  | { mode: 'password'; username: string; password: string }
  | { mode: 'password-secret'; secretArn: string }
  | { mode: 'keyspaces'; region: string };

/** The most users one produceUsers run fetches and publishes (USERS_PER_RUN's bound). */
export const MAX_USERS_PER_RUN = 50_000;

export const CONSISTENCY_LEVELS = ['ONE', 'LOCAL_ONE', 'QUORUM', 'LOCAL_QUORUM', 'EACH_QUORUM', 'ALL'] as const;
export type ConsistencyName = (typeof CONSISTENCY_LEVELS)[number];

export interface CassandraConfig {
  contactPoints: string[];
  localDataCenter: string;
  consistency: ConsistencyName;
  writeConcurrency: number;
  requestTimeoutMs: number;
  auth: CassandraAuth;
}

export interface UsersApiConfig {
  url: string;
  usersPerRun: number;
  requestTimeoutMs: number;
  maxAttempts: number;
  /** Total time for all requests and back-offs; keep it under the function's timeout. */
  budgetMs: number;
}

/** The Confluent-compatible registry produceUsers looks the record's schema id up in. */
export interface SchemaRegistryConfig {
  /** The base a client appends /subjects to. */
  url: string;
  /** A Secrets Manager secret {"username", "password"} for HTTP Basic auth, as the mapping's BASIC_AUTH reads. */
  secretArn?: string;
}

export interface ProducerConfig {
  kafka: KafkaConfig;
  usersApi: UsersApiConfig;
  schemaRegistry: SchemaRegistryConfig;
}

export interface WriterConfig {
  kafka: KafkaConfig;
  cassandra: CassandraConfig;
}

/** The functions' settings, from the environment. */
class EnvReader extends SettingsReader {
  constructor(private readonly env: Env) {
    super();
  }

  protected raw(name: string): string | undefined {
    return this.env[name];
  }

  string(name: string, fallback?: string): string {
    const value = this.optional(name);
    if (value) return value;
    if (fallback !== undefined) return fallback;
    this.problems.push(`${name} is required`);
    // Stryker disable next-line StringLiteral: equivalent - a placeholder beside a recorded problem; done() throws before anyone reads it
    return '';
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (!raw) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    this.problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }

  url(name: string, fallback: string): string {
    const raw = this.string(name, fallback);
    const protocol = URL.canParse(raw) ? new URL(raw).protocol : undefined;
    if (protocol !== 'http:' && protocol !== 'https:') this.problems.push(`${name} must be an http(s) URL, got "${raw}"`);
    return raw;
  }

  done<T>(value: T): T {
    if (this.problems.length > 0) throw new ConfigurationError(this.problems);
    return value;
  }
}

function readKafka(read: EnvReader, env: Env): KafkaConfig {
  const mode = read.oneOf('KAFKA_AUTH', ['none', 'scram', 'iam'] as const, 'none');
  const auth: KafkaAuth =
    mode === 'scram' ? { mode, secretArn: read.string('KAFKA_SASL_SECRET_ARN') } : mode === 'iam' ? { mode, region: read.string('AWS_REGION') } : { mode };
  return {
    brokers: read.hostPorts('KAFKA_BROKERS', hostPortSetting(env, 'KAFKA_BROKERS'), 9092),
    clientId: read.string('KAFKA_CLIENT_ID', env.AWS_LAMBDA_FUNCTION_NAME ?? 'realtime-data-streaming'),
    // MSK's SASL listeners are TLS-only, so SASL implies TLS unless told otherwise.
    ssl: read.bool('KAFKA_SSL', mode !== 'none'),
    ...(env.KAFKA_ROOT_CA_SECRET_ARN?.trim() ? { rootCaSecretArn: read.string('KAFKA_ROOT_CA_SECRET_ARN') } : {}),
    auth,
  };
}

function readCassandra(read: EnvReader, env: Env): CassandraConfig {
  // Stryker disable next-line StringLiteral: equivalent - the fallback as '' behaves as 'none': the mode is only compared with 'password' and 'keyspaces'
  const mode = read.oneOf('CASSANDRA_AUTH', ['none', 'password', 'keyspaces'] as const, 'none');
  let auth: CassandraAuth = { mode: 'none' };
  if (mode === 'password') {
    auth = env.CASSANDRA_SECRET_ARN
      ? { mode: 'password-secret', secretArn: read.string('CASSANDRA_SECRET_ARN') }
      : { mode, username: read.string('CASSANDRA_USERNAME'), password: read.string('CASSANDRA_PASSWORD') };
  } else if (mode === 'keyspaces') {
    auth = { mode, region: read.string('AWS_REGION') };
  }
  const contactPoints = read.hostPorts('CASSANDRA_CONTACT_POINTS', hostPortSetting(env, 'CASSANDRA_CONTACT_POINTS'), mode === 'keyspaces' ? 9142 : 9042);
  const ports = new Set(contactPoints.map((point) => point.split(':').pop()));
  if (ports.size > 1) {
    read.problems.push(
      `CASSANDRA_CONTACT_POINTS must name one port for every node, got "${contactPoints.join(',')}": the driver reaches the nodes it discovers on one port`,
    );
  }
  return {
    contactPoints,
    localDataCenter: read.string('CASSANDRA_LOCAL_DC', 'datacenter1'),
    consistency: read.oneOf('CASSANDRA_CONSISTENCY', CONSISTENCY_LEVELS, 'LOCAL_QUORUM'),
    writeConcurrency: read.int('CASSANDRA_WRITE_CONCURRENCY', 32, 1, 512),
    requestTimeoutMs: read.int('CASSANDRA_REQUEST_TIMEOUT_MS', 5000, 100, 120_000),
    auth,
  };
}

export function loadProducerConfig(env: Env = process.env): ProducerConfig {
  const read = new EnvReader(env);
  const kafka = readKafka(read, env);
  const usersApi: UsersApiConfig = {
    url: read.url('USERS_API_URL', 'https://randomuser.me/api/'),
    usersPerRun: read.int('USERS_PER_RUN', 100, 1, MAX_USERS_PER_RUN),
    requestTimeoutMs: read.int('USERS_API_TIMEOUT_MS', 5000, 100, 60_000),
    maxAttempts: read.int('USERS_API_MAX_ATTEMPTS', 4, 1, 10),
    budgetMs: read.int('USERS_API_BUDGET_MS', 20_000, 100, 600_000),
  };
  const schemaRegistry: SchemaRegistryConfig = {
    url: read.url('SCHEMA_REGISTRY_URL', DEFAULT_SCHEMA_REGISTRY_URL),
    ...(env.SCHEMA_REGISTRY_SECRET_ARN?.trim() ? { secretArn: read.string('SCHEMA_REGISTRY_SECRET_ARN') } : {}),
  };
  return read.done({ kafka, usersApi, schemaRegistry });
}

export function loadWriterConfig(env: Env = process.env): WriterConfig {
  const read = new EnvReader(env);
  return read.done({ kafka: readKafka(read, env), cassandra: readCassandra(read, env) });
}
