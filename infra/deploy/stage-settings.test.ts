import fs from 'node:fs';
import path from 'node:path';
import { STAGE_PARAMETERS, stageSettings, StageSettingsError, type StageInput } from './stage-settings';

const MSK = {
  mskClusterArn: 'arn:aws:kafka:eu-west-1:210987654321:cluster/users/abc-1',
  mskBootstrapServers: 'b-1.users.kafka.eu-west-1.amazonaws.com:9098,b-2.users.kafka.eu-west-1.amazonaws.com:9098',
  subnetIds: 'subnet-0aa, subnet-0bb',
  securityGroupIds: 'sg-0cc',
  schemaRegistryUri: 'https://registry.internal',
};

function input(stage: string, params: Record<string, string>, env: Record<string, string> = {}): StageInput {
  return {
    service: 'svc',
    stage,
    region: 'eu-west-1',
    param: (name) => params[name],
    env,
  };
}

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StageSettingsError);
    return (error as Error).message;
  }
  throw new Error('expected a StageSettingsError');
}

describe('stage settings', () => {
  it('puts an AWS stage on MSK with IAM auth unless it says otherwise', () => {
    const settings = stageSettings(input('prod', MSK));
    expect(settings.kafkaSource).toBe('msk');
    expect(settings.environment).toMatchObject({ KAFKA_AUTH: 'iam', KAFKA_BROKERS: MSK.mskBootstrapServers });
    expect(settings.vpc).toEqual({ subnetIds: ['subnet-0aa', 'subnet-0bb'], securityGroupIds: ['sg-0cc'] });
    expect(settings.trigger).toEqual({
      topic: 'users_created',
      mskClusterArn: MSK.mskClusterArn,
      bootstrapServers: [],
      accessConfigurations: {},
      batchSize: 1000,
      maximumBatchingWindow: 0,
      consumerGroupId: 'svc-prod-writeUsers-users_created',
      provisionedPollerConfig: { minimumPollers: 1, maximumPollers: 3 },
    });
    expect(settings.writeUsers.environment).toEqual({
      CASSANDRA_AUTH: 'keyspaces',
      CASSANDRA_CONTACT_POINTS: 'cassandra.eu-west-1.amazonaws.com:9142',
      CASSANDRA_LOCAL_DC: 'eu-west-1',
    });
    expect(settings.deployment).toMatchObject({ deploymentMethod: 'changesets', keyspaces: { mode: 'on-demand' } });
  });

  it('reads nothing of the shell for an AWS stage', () => {
    const settings = stageSettings(input('prod', MSK, { KAFKA_BROKERS: '127.0.0.1:9092', USERS_PER_RUN: '9', CASSANDRA_AUTH: 'none' }));
    expect(JSON.stringify(settings)).not.toMatch(/127\.0\.0\.1|"9"|"none"/);
  });

  it('gives a self-managed stage the SCRAM secret and its VPC access', () => {
    const secret = 'arn:aws:secretsmanager:eu-west-1:210987654321:secret:kafka-AbC';
    const registrySecret = 'arn:aws:secretsmanager:eu-west-1:210987654321:secret:registry-DeF';
    const settings = stageSettings(
      input('prod', {
        kafka: 'self-managed',
        kafkaBrokers: 'k1.internal:9096,k2.internal',
        kafkaSecretArn: secret,
        subnetIds: 'subnet-0a',
        securityGroupIds: 'sg-0b',
        schemaRegistryUri: 'https://registry.internal/apis/ccompat/v7',
        schemaRegistrySecretArn: registrySecret,
      }),
    );
    // The registry: produceUsers looks the schema id up with its credentials; the mapping gets them as BASIC_AUTH.
    expect(settings.produceUsers.environment).toMatchObject({
      SCHEMA_REGISTRY_URL: 'https://registry.internal/apis/ccompat/v7',
      SCHEMA_REGISTRY_SECRET_ARN: registrySecret,
    });
    expect(settings.schemaRegistry).toEqual({
      enabled: true,
      uri: 'https://registry.internal/apis/ccompat/v7',
      accessConfigs: [{ type: 'BASIC_AUTH', uri: registrySecret }],
    });
    expect(settings.deployment.schemaRegistrySecretArn).toBe(registrySecret);
    expect(settings.environment).toMatchObject({ KAFKA_AUTH: 'scram', KAFKA_SASL_SECRET_ARN: secret, KAFKA_BROKERS: 'k1.internal:9096,k2.internal:9092' });
    expect(settings.trigger).toMatchObject({
      mskClusterArn: '',
      bootstrapServers: ['k1.internal:9096', 'k2.internal:9092'],
      accessConfigurations: { saslScram512Auth: [secret], vpcSubnet: ['subnet-0a'], vpcSecurityGroup: ['sg-0b'] },
    });
  });

  it('requires an AWS stage’s registry as an https URL and its secret as a Secrets Manager ARN, naming each parameter', () => {
    const missing = problemsOf(() => stageSettings(input('prod', { ...MSK, schemaRegistryUri: '' })));
    expect(missing).toMatch(/schemaRegistryUri is required for kafka: msk/);
    const plain = problemsOf(() => stageSettings(input('prod', { ...MSK, schemaRegistryUri: 'http://registry.internal' })));
    expect(plain).toMatch(/schemaRegistryUri "http:\/\/registry.internal" .*https:\/\/ URL/);
    const secret = problemsOf(() => stageSettings(input('prod', { ...MSK, schemaRegistrySecretArn: 'registry-password' })));
    expect(secret).toMatch(/schemaRegistrySecretArn/);
  });

  it('lets a local stage turn the emulated mapping’s registry off, and an AWS stage never', () => {
    const local = (params: Record<string, string>) =>
      stageSettings(input('dev', { kafka: 'local', ...params }, { SCHEMA_REGISTRY_URL: 'http://127.0.0.1:18081/x' }));
    expect(local({}).schemaRegistry).toEqual({ enabled: true, uri: 'http://127.0.0.1:18081/x', accessConfigs: [] });
    expect(local({ schemaRegistry: 'off' }).schemaRegistry.enabled).toBe(false);
    expect(problemsOf(() => stageSettings(input('prod', { ...MSK, schemaRegistry: 'off' })))).toMatch(/schemaRegistry=off is for a local Kafka source only/);
  });

  it('lists every missing or malformed parameter at once, by name', () => {
    const message = problemsOf(() =>
      stageSettings(
        input('prod', { mskClusterArn: 'arn:aws:kafka:eu-west-1:1:cluster/x', subnetIds: 'net-1', batchSize: '20000', keyspacesCapacity: 'provisioned' }),
      ),
    );
    expect(message).toContain('Stage "prod" cannot be packaged');
    expect(message).toMatch(/mskClusterArn "arn:aws:kafka:eu-west-1:1:cluster\/x" is not the MSK cluster ARN/);
    expect(message).toMatch(/mskBootstrapServers is required for kafka: msk/);
    expect(message).toMatch(/subnetIds "net-1" is not comma-separated private subnet ids/);
    expect(message).toMatch(/securityGroupIds is required for kafka: msk/);
    expect(message).toMatch(/batchSize must be an integer from 1 to 10000, got "20000"/);
    expect(message).toMatch(/keyspacesReadCapacityUnits is required for keyspacesCapacity: provisioned/);
    expect(message).toMatch(/params\.prod in serverless\.yml or pass --param/);
  });

  it('refuses brokers on this machine for an AWS stage', () => {
    expect(problemsOf(() => stageSettings(input('prod', { ...MSK, mskBootstrapServers: 'localhost:9098' })))).toMatch(/points at this machine/);
  });

  it('refuses more minimum pollers than maximum', () => {
    expect(problemsOf(() => stageSettings(input('prod', { ...MSK, minimumPollers: '4', maximumPollers: '2' })))).toMatch(
      /minimumPollers \(4\) must not exceed maximumPollers \(2\)/,
    );
  });

  it('passes a local stage the settings set in the shell, and only those, leaving defaults to the functions', () => {
    const settings = stageSettings(
      input(
        'local',
        { kafka: 'local' },
        { KAFKA_BROKERS: '127.0.0.1:19092,127.0.0.1:29092', USERS_PER_RUN: '5', CASSANDRA_WRITE_CONCURRENCY: '8', UNRELATED: 'x' },
      ),
    );
    expect(settings.environment).toMatchObject({ KAFKA_BROKERS: '127.0.0.1:19092,127.0.0.1:29092' });
    expect(settings.environment).not.toHaveProperty('KAFKA_AUTH');
    expect(settings.produceUsers.environment).toEqual({ USERS_PER_RUN: '5' });
    expect(settings.writeUsers.environment).toEqual({ CASSANDRA_WRITE_CONCURRENCY: '8' });
    expect(settings.trigger).toMatchObject({ bootstrapServers: ['127.0.0.1:19092', '127.0.0.1:29092'], consumerGroupId: 'svc-local-writeUsers-users_created' });
    expect(settings.vpc).toBeNull();
    expect(settings.deployment).toMatchObject({ deploymentMethod: 'direct', keyspaces: null });
  });

  it('gives a local stage’s mapping the functions’ SCRAM secret when they log in with one, so the emulator logs in as AWS’s poller does', () => {
    const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kafka-scram-AbCdEf';
    const scram = stageSettings(input('local', { kafka: 'local' }, { KAFKA_AUTH: 'scram', KAFKA_SASL_SECRET_ARN: secret })).trigger;
    expect(scram.accessConfigurations).toEqual({ saslScram512Auth: [secret] });
    // Without logins, the name the emulator ignores (osls requires one access configuration).
    const open = stageSettings(input('local', { kafka: 'local' }, { KAFKA_SASL_SECRET_ARN: secret })).trigger;
    expect(open.accessConfigurations.saslScram512Auth).toEqual([expect.stringMatching(/:secret:local-kafka-has-no-auth$/)]);
  });

  it('says which KAFKA_BROKERS entry of a local stage is not host:port', () => {
    expect(problemsOf(() => stageSettings(input('local', { kafka: 'local' }, { KAFKA_BROKERS: 'kafka:9092,kafka://x' })))).toMatch(
      /not host:port: kafka:\/\/x/,
    );
  });

  it('gives a local stage the topic of usersCreatedTopic, and a consumer group named after it', () => {
    const trigger = stageSettings(input('bench1', { kafka: 'local', usersCreatedTopic: 'bench-e2e-1' })).trigger;
    expect(trigger).toMatchObject({ topic: 'bench-e2e-1', consumerGroupId: 'svc-bench1-writeUsers-bench-e2e-1' });
    expect(stageSettings(input('local', { kafka: 'local' })).trigger.topic).toBe('users_created');
  });

  it('refuses usersCreatedTopic on an AWS stage, and a topic name Kafka would refuse', () => {
    expect(problemsOf(() => stageSettings(input('prod', { ...MSK, usersCreatedTopic: 'other' })))).toMatch(
      /usersCreatedTopic is for a local Kafka source only/,
    );
    expect(problemsOf(() => stageSettings(input('local', { kafka: 'local', usersCreatedTopic: 'a topic' })))).toMatch(
      /usersCreatedTopic "a topic" is not a Kafka topic name/,
    );
  });

  it('minifies the bundles unless minify is false', () => {
    expect(stageSettings(input('prod', MSK)).bundle).toEqual({ minify: true });
    expect(stageSettings(input('local', { kafka: 'local', minify: 'false' })).bundle).toEqual({ minify: false });
    expect(problemsOf(() => stageSettings(input('prod', { ...MSK, minify: 'no' })))).toMatch(/minify/);
  });

  it('refuses a schedule EventBridge would refuse, and a users API that is not an http(s) URL, naming the parameter', () => {
    for (const schedule of ['rate(1 minutes)', 'rate(5 minute)', 'rate(0 minutes)', 'every minute', 'cron(0 * * * ?)']) {
      expect(problemsOf(() => stageSettings(input('prod', { ...MSK, schedule })))).toContain(`schedule "${schedule}" is not an EventBridge schedule`);
    }
    for (const schedule of ['rate(1 minute)', 'rate(10 minutes)', 'rate(1 day)', 'rate(2 hours)', 'cron(0/5 * * * ? *)']) {
      expect(stageSettings(input('prod', { ...MSK, schedule })).produceUsers.schedule).toBe(schedule);
    }
    for (const usersApiUrl of ['randomuser.me/api', 'ftp://randomuser.me/api/']) {
      expect(problemsOf(() => stageSettings(input('prod', { ...MSK, usersApiUrl })))).toContain(`usersApiUrl "${usersApiUrl}" is not`);
    }
  });

  it('refuses an ARN of another region or partition than the stage’s, naming the parameter and the region to use', () => {
    const elsewhere = { ...MSK, mskClusterArn: MSK.mskClusterArn.replace('eu-west-1', 'us-east-1') };
    expect(problemsOf(() => stageSettings(input('prod', elsewhere)))).toContain(
      `mskClusterArn "${elsewhere.mskClusterArn}" is in us-east-1, but the stage deploys to eu-west-1: use the one in eu-west-1, or deploy with --region us-east-1`,
    );
    const kms = 'arn:aws:kms:us-east-1:210987654321:key/1a2b';
    const sns = 'arn:aws:sns:us-east-1:210987654321:alarms';
    const problems = problemsOf(() => stageSettings(input('prod', { ...MSK, secretsKmsKeyArn: kms, alarmTopicArn: sns })));
    expect(problems).toContain(`secretsKmsKeyArn "${kms}" is in us-east-1`);
    expect(problems).toContain(`alarmTopicArn "${sns}" is in us-east-1`);
    const china = { ...input('prod', { ...MSK, mskClusterArn: MSK.mskClusterArn.replace('eu-west-1', 'cn-north-1') }), region: 'cn-north-1' };
    expect(problemsOf(() => stageSettings(china))).toContain('names the aws partition, but cn-north-1 is in aws-cn: write arn:aws-cn:…');
  });

  it('points a stage in China at Keyspaces’ amazonaws.com.cn endpoint', () => {
    const params = { ...MSK, mskClusterArn: 'arn:aws-cn:kafka:cn-north-1:210987654321:cluster/users/abc-1' };
    const settings = stageSettings({ ...input('prod', params), region: 'cn-north-1' });
    expect(settings.writeUsers.environment.CASSANDRA_CONTACT_POINTS).toBe('cassandra.cn-north-1.amazonaws.com.cn:9142');
    expect(stageSettings(input('prod', MSK)).writeUsers.environment.CASSANDRA_CONTACT_POINTS).toBe('cassandra.eu-west-1.amazonaws.com:9142');
  });

  it('sets Lambda’s application log level and Powertools’ to the stage’s logLevel, in JSON', () => {
    const settings = stageSettings(input('prod', { ...MSK, logLevel: 'WARN' }));
    expect(settings.deployment.lambdaLogs).toEqual({ logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'INFO' });
    expect(settings.environment.POWERTOOLS_LOG_LEVEL).toBe('WARN');
  });

  it('keeps the schedule configurable per stage', () => {
    expect(stageSettings(input('prod', { ...MSK, schedule: 'cron(0/5 * * * ? *)' })).produceUsers.schedule).toBe('cron(0/5 * * * ? *)');
    expect(stageSettings(input('prod', MSK)).produceUsers.schedule).toBe('rate(1 minute)');
  });
});

describe('docs/deploying.md', () => {
  it('documents every stage parameter', () => {
    const guide = fs.readFileSync(path.resolve(__dirname, '../../docs/deploying.md'), 'utf8');
    const parameters = guide.slice(guide.indexOf('## Parameters'), guide.indexOf('## Deploy, run, read, remove'));
    const undocumented = Object.keys(STAGE_PARAMETERS).filter((name) => !parameters.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });
});
