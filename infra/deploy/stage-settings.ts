// What one stage deploys: where Kafka and Cassandra are, how each function reaches them, and the knobs
// of the deployment. AWS stages read only their parameters (`params:` in serverless.yml, or
// `--param name=value`), never the deployer's shell, so a deployment is the same from any laptop or CI.
// The one exception is a `local` Kafka source (sls offline, sls invoke local, the AWS API emulator):
// there the shell environment is how npm start and the tests point the functions at a stack.
import topics from '../../contract/topics.json';
import { defaultConsumerGroupId, NO_AUTH_SECRET_NAME } from '../mapping/event-source-mapping';
import { hostPortSetting } from '../../functions/shared/host-port-list';
import { isLoopback } from './loopback';
import { METRICS_NAMESPACE } from '../../functions/shared/metrics-namespace';
import { SettingsReader } from '../../functions/shared/settings-reader';
import { SettingsError } from '../settings-error';
import { DEFAULT_SCHEMA_REGISTRY_URL } from '../../functions/shared/schema-registry';

export type KafkaSource = 'local' | 'msk' | 'self-managed';
export const KAFKA_SOURCES: readonly KafkaSource[] = ['local', 'msk', 'self-managed'];

/** Every parameter a stage can set, with what it means: the error messages and the README quote these. */
export const STAGE_PARAMETERS = {
  kafka:
    'where Kafka runs: msk (Amazon MSK, IAM auth; the default), self-managed (SASL/SCRAM-512 over TLS), or local (this machine: sls offline and AWS API emulators only)',
  mskClusterArn: 'the MSK cluster ARN, arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid> (aws kafka list-clusters-v2)',
  mskBootstrapServers: "the cluster's IAM bootstrap brokers, a host:9098 list (aws kafka get-bootstrap-brokers: BootstrapBrokerStringSaslIam)",
  kafkaBrokers: "the brokers' SASL/SCRAM listener, a host:port list reachable from the subnets",
  kafkaSecretArn: 'the Secrets Manager ARN of the SASL/SCRAM-512 credentials, a JSON {"username", "password"} (its name must start with AmazonMSK_ for MSK)',
  kafkaRootCaSecretArn:
    'self-managed Kafka whose brokers present a certificate from a private CA: the Secrets Manager ARN of a JSON {"certificate": "<PEM root CA>"}, read by the mapping (SERVER_ROOT_CA_CERTIFICATE) and both functions (optional; without it the brokers need a certificate from a public CA)',
  secretsKmsKeyArn:
    "the customer-managed KMS key ARN that encrypts kafkaSecretArn or kafkaRootCaSecretArn, for kms:Decrypt through Secrets Manager (optional; leave it out for secrets under AWS's own key)",
  schemaRegistryUri:
    "the Confluent-compatible schema registry's https URL, reachable from the subnets: the base a client appends /subjects to (produceUsers looks the record's schema id up there; the mapping validates and deserialises with it)",
  schemaRegistrySecretArn:
    'the Secrets Manager ARN of the registry\'s HTTP Basic credentials, a JSON {"username", "password"} (optional; leave it out for a registry without authentication)',
  subnetIds: 'comma-separated private subnet ids (subnet-…) that reach the brokers, and the internet through a NAT gateway for produceUsers',
  securityGroupIds: 'comma-separated security group ids (sg-…) allowed to reach the brokers',
  schedule: 'how often produceUsers runs, an EventBridge rate or cron expression (default rate(1 minute))',
  usersApiUrl: 'the Random User API URL (default https://randomuser.me/api/)',
  usersPerRun: 'users fetched and published per run, 1 to 50,000 (default 100)',
  batchSize: 'records per writeUsers invocation, 1 to 10,000 (default 1000)',
  maximumBatchingWindow: 'whole seconds the mapping gathers records before invoking, 0 to 300; 0 (the default) leaves AWS its own 0.5 s',
  minimumPollers: 'provisioned event pollers kept warm, 1 to 200 (default 1)',
  maximumPollers: 'provisioned event pollers at most, 1 to 2,000; more than the partitions of users_created add nothing (default 3)',
  keyspacesSchema:
    'create (the default): the stack creates the spark_streams keyspace and created_users table, and keeps them on sls remove; existing: the stage writes to a keyspace and table that already exist (a second stage in the account and region, or a stage deployed again after sls remove)',
  keyspacesCapacity: 'Keyspaces capacity mode: on-demand (default) or provisioned',
  keyspacesReadCapacityUnits: 'read capacity units of created_users when keyspacesCapacity is provisioned',
  keyspacesWriteCapacityUnits: 'write capacity units of created_users when keyspacesCapacity is provisioned',
  offsetLagAlarmThreshold: 'records of lag (OffsetLag, maximum over 5 minutes, 3 periods in a row) that raise the alarm (default 10000)',
  alarmTopicArn: 'an SNS topic ARN that alarms notify (optional)',
  logRetentionInDays: 'days CloudWatch keeps the functions’ logs (default 14)',
  logLevel: 'the functions’ log level: DEBUG, INFO, WARN or ERROR (default INFO)',
  usersCreatedTopic:
    'a local Kafka source only: the topic writeUsers’ mapping reads instead of users_created, so a benchmark or a test gets a topic and a consumer group of its own',
  schemaRegistry:
    'a local Kafka source only: on (the default) validates and deserialises records with the local registry, as the deployed mapping does; off gives writeUsers the topic’s records as they are (the benchmark’s baseline)',
  minify: 'whether esbuild minifies the bundles: true (the default) or false, which keeps package and function names readable in a CPU profile',
} as const;

export type StageParameter = keyof typeof STAGE_PARAMETERS;

/** The settings the functions read (functions/shared/config.ts), passed through as-is for a local source. */
const LOCAL_SHARED_SETTINGS = ['KAFKA_BROKERS', 'KAFKA_AUTH', 'KAFKA_SASL_SECRET_ARN', 'KAFKA_ROOT_CA_SECRET_ARN', 'KAFKA_SSL'] as const;
const LOCAL_PRODUCER_SETTINGS = [
  'SCHEMA_REGISTRY_URL',
  'SCHEMA_REGISTRY_SECRET_ARN',
  'USERS_API_URL',
  'USERS_PER_RUN',
  'USERS_API_TIMEOUT_MS',
  'USERS_API_MAX_ATTEMPTS',
  'USERS_API_BUDGET_MS',
] as const;
const LOCAL_WRITER_SETTINGS = [
  'CASSANDRA_CONTACT_POINTS',
  'CASSANDRA_LOCAL_DC',
  'CASSANDRA_AUTH',
  'CASSANDRA_USERNAME',
  'CASSANDRA_PASSWORD',
  'CASSANDRA_SECRET_ARN',
  'CASSANDRA_CONSISTENCY',
  'CASSANDRA_WRITE_CONCURRENCY',
  'CASSANDRA_REQUEST_TIMEOUT_MS',
] as const;

export interface StageInput {
  service: string;
  stage: string;
  region: string;
  /** A parameter's value, undefined when the stage does not set it. */
  param(name: StageParameter): string | undefined;
  env: Record<string, string | undefined>;
}

/**
 * The values of writeUsers' Kafka trigger, for every kind of stage: serverless.yml spells the `msk` and
 * `kafka` events out and the stage's `kafka` parameter picks one; these are its checked parameters.
 */
export interface Trigger {
  /** The topic the mapping reads: users_created, or a local stage's usersCreatedTopic. */
  topic: string;
  batchSize: number;
  maximumBatchingWindow: number;
  consumerGroupId: string;
  /** The MSK cluster ARN; empty for other stages, whose events do not read it. */
  mskClusterArn: string;
  /** The brokers of a self-managed or local source; empty for MSK, whose event names the cluster. */
  bootstrapServers: string[];
  accessConfigurations: Record<string, string[]>;
  provisionedPollerConfig: { minimumPollers: number; maximumPollers: number };
}

export interface Vpc {
  subnetIds: string[];
  securityGroupIds: string[];
}

export interface KeyspacesCapacity {
  mode: 'on-demand' | 'provisioned';
  readCapacityUnits?: number;
  writeCapacityUnits?: number;
}

export interface StageSettings {
  kafkaSource: KafkaSource;
  /** provider.environment: what both functions read. */
  environment: Record<string, string>;
  /** null for a local source: nothing runs in a VPC. */
  vpc: Vpc | null;
  produceUsers: { environment: Record<string, string>; schedule: string };
  /** serverless-esbuild's settings that a stage may change. */
  bundle: { minify: boolean };
  writeUsers: { environment: Record<string, string> };
  /** What writeUsers' msk and kafka events in serverless.yml (custom.writeUsersTrigger) read. */
  trigger: Trigger;
  /** The mapping's schema registry (custom.eventSourceMappings.writeUsers.schemaRegistry reads it). */
  schemaRegistry: { enabled: boolean; uri: string; accessConfigs: Array<{ type: 'BASIC_AUTH'; uri: string }> };
  /** What the deployment plugin adds to the template beyond osls' own resources. */
  deployment: {
    deploymentMethod: 'direct' | 'changesets';
    logRetentionInDays: number;
    /** provider.logs.lambda: Lambda's JSON log format and log levels, so CloudWatch and `sls logs` filter by level. */
    lambdaLogs: { logFormat: 'JSON'; applicationLogLevel: string; systemLogLevel: 'INFO' };
    /** Lambda's active X-Ray tracing (provider.tracing.lambda): on for AWS stages, whose runs' trace ids the records carry. */
    tracing: boolean;
    mskClusterArn?: string;
    kafkaSecretArn?: string;
    kafkaRootCaSecretArn?: string;
    schemaRegistrySecretArn?: string;
    secretsKmsKeyArn?: string;
    /** null for a local source; otherwise whether the stack creates the keyspace and table. */
    keyspaces: (KeyspacesCapacity & { create: boolean }) | null;
    offsetLagAlarmThreshold: number;
    alarmTopicArn?: string;
  };
}

export class StageSettingsError extends SettingsError {
  override readonly name = 'StageSettingsError';
  constructor(stage: string, problems: string[]) {
    super(
      `Stage "${stage}" cannot be packaged:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        `Set them under params.${stage} in serverless.yml or pass --param "name=value" (see "Deploying to AWS" in the README).`,
    );
    // osls prints a failed variable's stack; for a configuration error only the message helps.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** A stage's parameters, every problem collected so one attempt shows them all. */
class ParamReader extends SettingsReader<StageParameter> {
  constructor(private readonly input: StageInput) {
    super();
  }

  protected raw(name: StageParameter): string | undefined {
    return this.input.param(name);
  }

  required(name: StageParameter, because: string): string {
    const value = this.optional(name);
    if (value === undefined) this.problems.push(`${name} is required ${because}: ${STAGE_PARAMETERS[name]}`);
    return value ?? '';
  }

  matching(name: StageParameter, because: string, pattern: RegExp): string {
    const value = this.required(name, because);
    if (value && !pattern.test(value)) this.problems.push(`${name} "${value}" is not ${STAGE_PARAMETERS[name]}`);
    return value;
  }

  /**
   * An ARN of the stage's own partition and region: Lambda reads its mapping's secrets, and CloudWatch
   * notifies alarm topics, in the function's region only. `required` names why it is needed; without
   * it, the ARN is optional.
   */
  arn(name: StageParameter, pattern: RegExp, required?: string): string | undefined {
    const value = required === undefined ? this.optional(name) : this.required(name, required);
    if (!value) return undefined;
    if (!pattern.test(value)) {
      this.problems.push(`${name} "${value}" is not ${STAGE_PARAMETERS[name]}`);
      return value;
    }
    const [, partition, , region] = value.split(':');
    const { region: stageRegion } = this.input;
    if (region !== stageRegion) {
      this.problems.push(
        `${name} "${value}" is in ${region}, but the stage deploys to ${stageRegion}: use the one in ${stageRegion}, or deploy with --region ${region}`,
      );
    } else if (partition !== partitionOf(stageRegion)) {
      this.problems.push(
        `${name} "${value}" names the ${partition} partition, but ${stageRegion} is in ${partitionOf(stageRegion)}: write arn:${partitionOf(stageRegion)}:…`,
      );
    }
    return value;
  }

  ids(name: 'subnetIds' | 'securityGroupIds', because: string, prefix: string): string[] {
    const value = this.required(name, because);
    const ids = value
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = ids.filter((id) => !new RegExp(`^${prefix}-[0-9a-f]+$`).test(id));
    if (value && (ids.length === 0 || bad.length > 0)) this.problems.push(`${name} "${value}" is not ${STAGE_PARAMETERS[name]}`);
    return ids;
  }

  brokers(name: 'kafkaBrokers' | 'mskBootstrapServers', because: string): string[] {
    const value = this.required(name, because);
    if (!value) return [];
    const entries = this.hostPorts(name, value, 9092);
    if (entries.some(isLoopback)) this.problems.push(`${name} "${value}" points at this machine; an AWS stage needs brokers reachable from its subnets`);
    return entries;
  }
}

/** The AWS partition of a region: China's regions are aws-cn, GovCloud's aws-us-gov. */
export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** The domain of a region's service endpoints (CloudFormation's AWS::URLSuffix). */
export function urlSuffixOf(region: string): string {
  return partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** EventBridge's two schedule forms: rate(1 minute), rate(5 minutes), …; cron with six fields. */
const SCHEDULE = /^(?:rate\((?:1 (?:minute|hour|day)|(?:[2-9]|[1-9]\d+) (?:minutes|hours|days))\)|cron\(\S+(?: \S+){5}\))$/;

const MSK_CLUSTER_ARN = /^arn:aws[a-z-]*:kafka:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9-]+\/[A-Za-z0-9-]+$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

export function stageSettings(input: StageInput): StageSettings {
  const read = new ParamReader(input);
  const kafkaSource = read.oneOf('kafka', KAFKA_SOURCES, 'msk');
  const topic = read.optional('usersCreatedTopic') ?? topics.usersCreated.name;
  if (kafkaSource !== 'local' && topic !== topics.usersCreated.name) {
    read.problems.push(
      `usersCreatedTopic is for a local Kafka source only: produceUsers publishes to ${topics.usersCreated.name}, so an AWS stage's mapping reads it`,
    );
  }
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic))
    read.problems.push(`usersCreatedTopic "${topic}" is not a Kafka topic name (letters, digits, '.', '_' and '-', at most 249)`);
  const bundle = { minify: read.oneOf('minify', ['true', 'false'] as const, 'true') === 'true' };
  const registryOn = read.oneOf('schemaRegistry', ['on', 'off'] as const, 'on') === 'on';
  if (kafkaSource !== 'local' && !registryOn) {
    read.problems.push('schemaRegistry=off is for a local Kafka source only: an AWS stage’s mapping always validates with its registry');
  }
  const mapping = {
    topic,
    // Batches of 1,000 drain a backlog about twice as fast as batches of 100 (each invocation costs the
    // same fixed overhead), and AWS's 0.5 s window keeps p99 under a second at 1,000 records/s
    // (docs/benchmarks.md).
    batchSize: read.int('batchSize', 1000, 1, 10_000),
    maximumBatchingWindow: read.int('maximumBatchingWindow', 0, 0, 300),
    // Named, not left to AWS's random default, so that IAM can scope the group and the emulator uses the same one.
    consumerGroupId: defaultConsumerGroupId(input.service, input.stage, 'writeUsers', topic),
  };
  const pollers = {
    minimumPollers: read.int('minimumPollers', 1, 1, 200),
    maximumPollers: read.int('maximumPollers', 3, 1, 2000),
  };
  if (pollers.minimumPollers > pollers.maximumPollers)
    read.problems.push(`minimumPollers (${pollers.minimumPollers}) must not exceed maximumPollers (${pollers.maximumPollers})`);
  const schedule = read.optional('schedule') ?? 'rate(1 minute)';
  if (!SCHEDULE.test(schedule)) {
    read.problems.push(
      `schedule "${schedule}" is not an EventBridge schedule: rate(1 minute), rate(5 minutes), rate(1 hour) … or cron(0/5 * * * ? *) with six fields`,
    );
  }
  const logLevel = read.oneOf('logLevel', ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const, 'INFO');
  const logRetentionInDays = read.int('logRetentionInDays', 14, 1, 3653);
  // The application level is the functions' own (Powertools reads Lambda's AWS_LAMBDA_LOG_LEVEL and
  // warns when its own is more verbose); the platform's INFO keeps the START and REPORT lines.
  const lambdaLogs = { logFormat: 'JSON' as const, applicationLogLevel: logLevel, systemLogLevel: 'INFO' as const };
  const observability = { POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL: logLevel };

  if (kafkaSource === 'local') {
    const { env } = input;
    const pick = (names: readonly string[]) => Object.fromEntries(names.filter((name) => env[name]?.trim()).map((name) => [name, env[name]!.trim()]));
    const brokers = read.hostPorts('KAFKA_BROKERS', hostPortSetting(env, 'KAFKA_BROKERS'), 9092);
    if (read.problems.length > 0) throw new StageSettingsError(input.stage, read.problems);
    return {
      kafkaSource,
      environment: { ...observability, POWERTOOLS_LOG_LEVEL: env.LOG_LEVEL?.trim() || logLevel, ...pick(LOCAL_SHARED_SETTINGS) },
      vpc: null,
      produceUsers: { environment: pick(LOCAL_PRODUCER_SETTINGS), schedule },
      bundle,
      writeUsers: { environment: pick(LOCAL_WRITER_SETTINGS) },
      trigger: {
        ...mapping,
        mskClusterArn: '',
        bootstrapServers: brokers,
        // The emulator logs in with the functions' SCRAM secret, as the mapping does in AWS. Without
        // one, osls still requires an access configuration: a name the emulator knows to ignore. This
        // mapping never reaches AWS: the deployment plugin leaves it out and sls offline emulates it.
        accessConfigurations: {
          saslScram512Auth: [
            env.KAFKA_AUTH?.trim() === 'scram' && env.KAFKA_SASL_SECRET_ARN?.trim()
              ? env.KAFKA_SASL_SECRET_ARN.trim()
              : `arn:aws:secretsmanager:${input.region}:000000000000:secret:${NO_AUTH_SECRET_NAME}`,
          ],
        },
        provisionedPollerConfig: pollers,
      },
      schemaRegistry: { enabled: registryOn, uri: env.SCHEMA_REGISTRY_URL?.trim() || DEFAULT_SCHEMA_REGISTRY_URL, accessConfigs: [] },
      deployment: { deploymentMethod: 'direct', logRetentionInDays, lambdaLogs, tracing: false, keyspaces: null, offsetLagAlarmThreshold: 0 },
    };
  }

  const because = `for kafka: ${kafkaSource}`;
  const vpc: Vpc = { subnetIds: read.ids('subnetIds', because, 'subnet'), securityGroupIds: read.ids('securityGroupIds', because, 'sg') };

  let kafkaEnvironment: Record<string, string>;
  let trigger: Trigger;
  let mskClusterArn: string | undefined;
  let kafkaSecretArn: string | undefined;
  let kafkaRootCaSecretArn: string | undefined;
  if (kafkaSource === 'msk') {
    if (read.optional('kafkaRootCaSecretArn') !== undefined) {
      read.problems.push('kafkaRootCaSecretArn is for self-managed Kafka: MSK brokers present certificates that Lambda and Node already trust');
    }
    mskClusterArn = read.arn('mskClusterArn', MSK_CLUSTER_ARN, because) ?? '';
    const brokers = read.brokers('mskBootstrapServers', because);
    kafkaEnvironment = { KAFKA_BROKERS: brokers.join(','), KAFKA_AUTH: 'iam' };
    trigger = { ...mapping, mskClusterArn, bootstrapServers: [], accessConfigurations: {}, provisionedPollerConfig: pollers };
  } else {
    kafkaSecretArn = read.arn('kafkaSecretArn', SECRET_ARN, because) ?? '';
    kafkaRootCaSecretArn = read.arn('kafkaRootCaSecretArn', SECRET_ARN);
    const brokers = read.brokers('kafkaBrokers', because);
    kafkaEnvironment = {
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_AUTH: 'scram',
      KAFKA_SASL_SECRET_ARN: kafkaSecretArn,
      ...(kafkaRootCaSecretArn ? { KAFKA_ROOT_CA_SECRET_ARN: kafkaRootCaSecretArn } : {}),
    };
    trigger = {
      ...mapping,
      mskClusterArn: '',
      bootstrapServers: brokers,
      accessConfigurations: {
        saslScram512Auth: [kafkaSecretArn],
        ...(kafkaRootCaSecretArn ? { serverRootCaCertificate: [kafkaRootCaSecretArn] } : {}),
        vpcSubnet: vpc.subnetIds,
        vpcSecurityGroup: vpc.securityGroupIds,
      },
      provisionedPollerConfig: pollers,
    };
  }

  const create = read.oneOf('keyspacesSchema', ['create', 'existing'] as const, 'create') === 'create';
  const keyspacesMode = read.oneOf('keyspacesCapacity', ['on-demand', 'provisioned'] as const, 'on-demand');
  if (!create && keyspacesMode === 'provisioned') {
    read.problems.push(
      'keyspacesCapacity: provisioned sets the capacity of a table this stack creates; with keyspacesSchema: existing, set it on the table itself',
    );
  }
  const keyspaces =
    keyspacesMode === 'provisioned'
      ? {
          create,
          mode: keyspacesMode,
          readCapacityUnits: Number(read.required('keyspacesReadCapacityUnits', 'for keyspacesCapacity: provisioned')) || undefined,
          writeCapacityUnits: Number(read.required('keyspacesWriteCapacityUnits', 'for keyspacesCapacity: provisioned')) || undefined,
        }
      : { create, mode: keyspacesMode };
  const secretsKmsKeyArn = read.arn('secretsKmsKeyArn', KMS_KEY_ARN);
  const alarmTopicArn = read.arn('alarmTopicArn', SNS_TOPIC_ARN);
  const usersApiUrl = read.optional('usersApiUrl') ?? 'https://randomuser.me/api/';
  if (!URL.canParse(usersApiUrl) || !/^https?:$/.test(new URL(usersApiUrl).protocol))
    read.problems.push(`usersApiUrl "${usersApiUrl}" is not ${STAGE_PARAMETERS.usersApiUrl}: give an http(s) URL`);
  const usersPerRun = read.int('usersPerRun', 100, 1, 50_000);
  const schemaRegistryUri = read.required('schemaRegistryUri', because);
  if (schemaRegistryUri && (!URL.canParse(schemaRegistryUri) || new URL(schemaRegistryUri).protocol !== 'https:'))
    read.problems.push(`schemaRegistryUri "${schemaRegistryUri}" is not ${STAGE_PARAMETERS.schemaRegistryUri.split(',')[0]}: give an https:// URL`);
  const schemaRegistrySecretArn = read.arn('schemaRegistrySecretArn', SECRET_ARN);
  const offsetLagAlarmThreshold = read.int('offsetLagAlarmThreshold', 10_000, 1, Number.MAX_SAFE_INTEGER);
  if (read.problems.length > 0) throw new StageSettingsError(input.stage, read.problems);

  return {
    kafkaSource,
    environment: { ...observability, ...kafkaEnvironment },
    vpc,
    produceUsers: {
      environment: {
        USERS_API_URL: usersApiUrl,
        USERS_PER_RUN: String(usersPerRun),
        SCHEMA_REGISTRY_URL: schemaRegistryUri ?? '',
        ...(schemaRegistrySecretArn ? { SCHEMA_REGISTRY_SECRET_ARN: schemaRegistrySecretArn } : {}),
      },
      schedule,
    },
    bundle,
    writeUsers: {
      environment: {
        // Amazon Keyspaces: TLS on 9142, SigV4 with the function's role; its data center is the region.
        CASSANDRA_AUTH: 'keyspaces',
        CASSANDRA_CONTACT_POINTS: `cassandra.${input.region}.${urlSuffixOf(input.region)}:9142`,
        CASSANDRA_LOCAL_DC: input.region,
      },
    },
    trigger,
    schemaRegistry: {
      enabled: true,
      uri: schemaRegistryUri ?? '',
      accessConfigs: schemaRegistrySecretArn ? [{ type: 'BASIC_AUTH', uri: schemaRegistrySecretArn }] : [],
    },
    deployment: {
      deploymentMethod: 'changesets',
      logRetentionInDays,
      lambdaLogs,
      tracing: true,
      mskClusterArn,
      kafkaSecretArn,
      kafkaRootCaSecretArn,
      schemaRegistrySecretArn,
      secretsKmsKeyArn,
      keyspaces,
      offsetLagAlarmThreshold,
      alarmTopicArn,
    },
  };
}
