// What `sls package` produces for the two documented example stages: the template that would deploy,
// held to the promises the local pipeline makes (retries, partial batches, dead letters), to the one
// schema, to least privilege, and to cfn-lint.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'cassandra-driver';
import { pythonTool } from '../../infra/local/tools/python-tools';
import { LAMBDA_RUNTIME } from '../../infra/local/tools/lambda-node';
import type { LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { writeUserBatch } from '../../functions/write-users/write-user-batch';
import { loadEvent } from '../support/load-event';
import { packageStage, type PackagedTemplate } from '../support/packaged-template';
import { leftBehindByFailedFirstDeploy } from '../support/failed-first-deploy';
import { PROJECT_ROOT, run, SLS } from '../support/processes';
import { testCassandra } from '../support/services';

const STAGES = ['example-msk', 'example-kafka'] as const;
const templates: Record<string, PackagedTemplate> = {};

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function statementsOf(template: PackagedTemplate, roleId: string): PolicyStatement[] {
  const role = template.resources[roleId];
  const policies = role.Properties.Policies as Array<{ PolicyDocument: { Statement: PolicyStatement[] } }>;
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

const actionsOf = (statement: PolicyStatement) => [statement.Action].flat();
const resourcesOf = (statement: PolicyStatement) => [statement.Resource].flat().map((r) => (typeof r === 'string' ? r : JSON.stringify(r)));

beforeAll(async () => {
  for (const stage of STAGES) templates[stage] = await packageStage(stage);
}, 180_000);

describe.each(STAGES)('sls package --stage %s', (stage) => {
  const mapping = () => {
    const mappings = templates[stage].ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    return mappings[0][1].Properties;
  };

  it('gives writeUsers a mapping that reports partial batches, retries, bisects and dead-letters to users_created.dlq', () => {
    expect(mapping()).toMatchObject({
      FunctionName: { 'Fn::GetAtt': ['WriteUsersLambdaFunction', 'Arn'] },
      Topics: ['users_created'],
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: 'kafka://users_created.dlq' } },
      // The error controls above only exist in provisioned mode.
      ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 3 },
      BatchSize: 1000,
    });
    // A window of 0 is left out, so AWS applies its own 0.5 s.
    expect(mapping()).not.toHaveProperty('MaximumBatchingWindowInSeconds');
  });

  it('ties the handler to its mapping: a batch the writer partly fails is reported in batchItemFailures, and the mapping reads them', async () => {
    // The real batch logic, with one row refused for a passing reason (Cassandra timing out).
    const event = loadEvent<LambdaKafkaEvent>('write-users.msk.json');
    const response = await writeUserBatch(event, {
      writeRows: async (users) => users.map((_, i) => (i === 1 ? new Error('OperationTimedOut') : undefined)),
      deadLetter: async () => undefined,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      meter: { count: () => undefined, milliseconds: () => undefined },
    });
    expect(response.batchItemFailures).toHaveLength(1);
    // Without this, AWS would ignore that response and commit the failed row's offset: the row is lost.
    expect(mapping().FunctionResponseTypes).toContain('ReportBatchItemFailures');
  });

  it('never points an AWS stage at this machine or at a placeholder secret', () => {
    const { text } = templates[stage];
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|000000000000|local-kafka-has-no-auth/);
  });

  it('runs both functions on the runtime the bare-runtime tests load them with (nodejs24.x), arm64, in the VPC, each with a role of its own', () => {
    const fns = templates[stage].ofType('AWS::Lambda::Function');
    expect(fns.map(([id]) => id).sort()).toEqual(['ProduceUsersLambdaFunction', 'WriteUsersLambdaFunction']);
    for (const [id, fn] of fns) {
      expect(fn.Properties).toMatchObject({
        Runtime: LAMBDA_RUNTIME,
        Architectures: ['arm64'],
        VpcConfig: { SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'], SecurityGroupIds: ['sg-0123456789abcdef0'] },
        Role: { 'Fn::GetAtt': [id.replace('LambdaFunction', 'Role'), 'Arn'] },
      });
      // Logs and metrics (and the DeadLettered alarm's dimension) carry the function's serverless.yml key.
      const key = id[0].toLowerCase() + id.slice(1).replace('LambdaFunction', '');
      expect((fn.Properties.Environment as { Variables: Record<string, string> }).Variables.POWERTOOLS_SERVICE_NAME).toBe(key);
    }
  });

  it('logs in Lambda’s JSON format, the application at the stage’s level and the platform at INFO, both levels agreeing with Powertools', () => {
    for (const [, fn] of templates[stage].ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.LoggingConfig).toEqual({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' });
      expect((fn.Properties.Environment as { Variables: Record<string, string> }).Variables.POWERTOOLS_LOG_LEVEL).toBe('INFO');
    }
  });

  it('traces both functions actively in X-Ray, each role allowed to send the segments', () => {
    for (const [id, fn] of templates[stage].ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      const statements = (
        templates[stage].resources[id.replace('LambdaFunction', 'Role')].Properties.Policies as Array<{
          PolicyDocument: { Statement: Array<{ Action: string[] }> };
        }>
      ).flatMap((policy) => policy.PolicyDocument.Statement);
      expect(statements).toContainEqual({ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' });
    }
  });

  it('points writeUsers at Amazon Keyspaces over TLS with SigV4', () => {
    const env = (templates[stage].resources.WriteUsersLambdaFunction.Properties.Environment as { Variables: Record<string, string> }).Variables;
    expect(env).toMatchObject({
      CASSANDRA_AUTH: 'keyspaces',
      CASSANDRA_CONTACT_POINTS: 'cassandra.us-east-1.amazonaws.com:9142',
      CASSANDRA_LOCAL_DC: 'us-east-1',
    });
    expect(env.CASSANDRA_CONSISTENCY ?? 'LOCAL_QUORUM').toBe('LOCAL_QUORUM');
  });

  it('keeps the schedule at rate(1 minute), targeting produceUsers', () => {
    const [[, rule]] = templates[stage].ofType('AWS::Events::Rule');
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
  });

  it('grants no action "*", and a "*" resource only to the EC2 network-interface actions AWS cannot scope', () => {
    const unscoped = new Set([
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
      'ec2:DescribeVpcs',
      'ec2:DescribeSubnets',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeVpcEndpoints',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
    ]);
    const roles = templates[stage].ofType('AWS::IAM::Role');
    expect(roles.map(([id]) => id).sort()).toEqual(['ProduceUsersRole', 'WriteUsersRole']);
    const wildcardActions: string[] = [];
    const unscopedGrants: string[] = [];
    for (const [id] of roles) {
      for (const statement of statementsOf(templates[stage], id)) {
        wildcardActions.push(
          ...actionsOf(statement)
            .filter((action) => action.includes('*'))
            .map((action) => `${id}: ${action}`),
        );
        if (resourcesOf(statement).includes('*')) {
          unscopedGrants.push(
            ...actionsOf(statement)
              .filter((action) => !unscoped.has(action))
              .map((action) => `${id}: ${action}`),
          );
        }
      }
    }
    expect(wildcardActions).toEqual([]);
    expect(unscopedGrants).toEqual([]);
  });

  it('lets produceUsers publish to users_created only, and never read data or touch the table', () => {
    const statements = statementsOf(templates[stage], 'ProduceUsersRole');
    const actions = statements.flatMap(actionsOf);
    expect(actions.filter((a) => /ReadData|AlterGroup|cassandra:/.test(a))).toEqual([]);
    const resources = statements.flatMap(resourcesOf).join(' ');
    expect(resources).not.toMatch(/users_created\.dlq|keyspace/);
    if (stage === 'example-msk') {
      const write = statements.find((s) => actionsOf(s).includes('kafka-cluster:WriteData'))!;
      expect(resourcesOf(write)).toEqual(['arn:aws:kafka:us-east-1:123456789012:topic/users/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-1/users_created']);
    } else {
      expect(statements.find((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'))!.Resource).toEqual([
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:users-kafka-scram-AbCdEf',
      ]);
    }
  });

  it('lets writeUsers modify created_users only, and write Kafka only to the dead-letter topic', () => {
    const statements = statementsOf(templates[stage], 'WriteUsersRole');
    const modify = statements.filter((s) => actionsOf(s).includes('cassandra:Modify'));
    expect(modify.flatMap(resourcesOf)).toEqual([
      JSON.stringify({ 'Fn::Sub': 'arn:${AWS::Partition}:cassandra:${AWS::Region}:${AWS::AccountId}:/keyspace/spark_streams/table/created_users' }),
    ]);
    const writes = statements.filter((s) => actionsOf(s).includes('kafka-cluster:WriteData')).flatMap(resourcesOf);
    if (stage === 'example-msk') {
      expect(writes).toEqual(['arn:aws:kafka:us-east-1:123456789012:topic/users/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-1/users_created.dlq']);
      const group = statements.find((s) => actionsOf(s).includes('kafka-cluster:AlterGroup'))!;
      expect(resourcesOf(group)).toEqual([
        'arn:aws:kafka:us-east-1:123456789012:group/users/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-1/realtime-data-streaming-example-msk-writeUsers-users_created',
      ]);
      expect(mapping()).toMatchObject({
        AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'realtime-data-streaming-example-msk-writeUsers-users_created' },
      });
      // The mapping writes what it gives up on to users_created.dlq itself, and AWS's page asks for DescribeCluster.
      // https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html#kafka-ofd-requirements
      const cluster = statements.find((s) => actionsOf(s).includes('kafka-cluster:DescribeCluster'))!;
      expect(resourcesOf(cluster)).toEqual(['arn:aws:kafka:us-east-1:123456789012:cluster/users/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-1']);
    } else {
      expect(writes).toEqual([]);
    }
  });

  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html
  it('gives each function in the VPC what AWSLambdaVPCAccessExecutionRole grants, and writeUsers what Keyspaces’ VPC endpoint needs to list its peers', () => {
    const managedPolicy = [
      'ec2:AssignPrivateIpAddresses',
      'ec2:CreateNetworkInterface',
      'ec2:DeleteNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:UnassignPrivateIpAddresses',
    ];
    const unscopedOf = (roleId: string) =>
      statementsOf(templates[stage], roleId)
        .filter((s) => resourcesOf(s).includes('*'))
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('ec2:'))
        .sort();
    expect(unscopedOf('ProduceUsersRole')).toEqual(managedPolicy);
    // https://docs.aws.amazon.com/keyspaces/latest/devguide/vpc-endpoints.html#using-interface-vpc-endpoints
    expect(unscopedOf('WriteUsersRole')).toEqual(
      expect.arrayContaining([...managedPolicy, 'ec2:DescribeVpcEndpoints', 'ec2:DescribeVpcs', 'ec2:DescribeSecurityGroups']),
    );
  });

  it('alarms on each function’s errors, the offset lag, poison, rows reported for retry, and what the mapping dead-lettered or lost', () => {
    const alarms = templates[stage].ofType('AWS::CloudWatch::Alarm');
    const byName = Object.fromEntries(alarms.filter(([, a]) => a.Properties.MetricName).map(([, a]) => [a.Properties.MetricName, a.Properties]));
    expect(Object.keys(byName).sort()).toEqual([
      'DeadLettered',
      'DroppedEventCount',
      'Errors',
      'Failed',
      'OffsetLag',
      'OnFailureDestinationDeliveredEventCount',
      'OnFailureDestinationDeliveryErrorCount',
    ]);
    expect(alarms.every(([, a]) => a.Properties.MetricName !== undefined)).toBe(true);
    expect(byName.DeadLettered).toMatchObject({ Namespace: 'RealtimeDataStreaming', Dimensions: [{ Name: 'service', Value: 'writeUsers' }] });
    // writeUsers returns batchItemFailures without failing: the rows it could not write raise Failed, not Errors.
    expect(byName.Failed).toMatchObject({ Namespace: 'RealtimeDataStreaming', Dimensions: [{ Name: 'service', Value: 'writeUsers' }], Threshold: 1 });
    const [[mappingId]] = templates[stage].ofType('AWS::Lambda::EventSourceMapping');
    for (const metric of ['OnFailureDestinationDeliveredEventCount', 'DroppedEventCount', 'OnFailureDestinationDeliveryErrorCount']) {
      expect(byName[metric]).toMatchObject({
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'EventSourceMappingUUID', Value: { Ref: mappingId } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    // The mapping emits its EventCount metrics only when asked to.
    expect(mapping().MetricsConfig).toEqual({ Metrics: ['EventCount', 'ErrorCount', 'KafkaMetrics'] });
    expect(alarms.filter(([, a]) => a.Properties.MetricName === 'Errors')).toHaveLength(2);
    expect(templates[stage].ofType('AWS::CloudWatch::Dashboard')).toHaveLength(1);
    const withActions = alarms.filter(([, a]) => a.Properties.AlarmActions);
    expect(withActions).toHaveLength(stage === 'example-kafka' ? 8 : 0); // only example-kafka sets alarmTopicArn
  });

  it('alarms on every record the mapping dead-lettered or lost, each metric alone, as AWS’s metrics page defines them', () => {
    // A difference of two metrics under-counts partial loss and stays OK on total loss, when no
    // delivered count is published: each outcome has an alarm on its own metric.
    const page = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'aws', 'event-source-mapping-metrics.json'), 'utf8')) as {
      metrics: Record<string, { metricsConfig: string; outcome: 'dead-lettered' | 'lost' }>;
    };
    const mappingAlarms = templates[stage]
      .ofType('AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .filter((a) => a.Namespace === 'AWS/Lambda' && (a.Dimensions as Array<{ Name: string }>)?.[0]?.Name === 'EventSourceMappingUUID');
    expect(mappingAlarms.map((a) => a.MetricName).sort()).toEqual(Object.keys(page.metrics).sort());
    expect(templates[stage].ofType('AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.Metrics !== undefined)).toEqual([]);
    const asked = new Set((mapping().MetricsConfig as { Metrics: string[] }).Metrics);
    for (const [name, { metricsConfig }] of Object.entries(page.metrics)) expect([name, asked.has(metricsConfig)]).toEqual([name, true]);
  });

  it('passes cfn-lint with no errors', async () => {
    // W3005: osls lists a function's custom role in DependsOn as well; the plugin removes those, and
    // any that remain are redundant, never wrong. Warnings of other rules still fail this test.
    const lint = await promisify(execFile)(pythonTool('cfn-lint'), ['--ignore-checks', 'W3005', '--', templates[stage].file]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(lint).toEqual({ code: 0, stdout: '' });
  }, 120_000);
});

describe('self-managed Kafka behind a private CA, with secrets under a customer-managed key', () => {
  const ca = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:users-kafka-root-ca-GhIjKl';
  const key = 'arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';

  // https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html (server root CA certificate)
  it('gives the mapping the root CA as SERVER_ROOT_CA_CERTIFICATE and both functions its ARN', () => {
    const template = templates['example-kafka'];
    const [[, mapping]] = template.ofType('AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties.SourceAccessConfigurations).toEqual(expect.arrayContaining([{ Type: 'SERVER_ROOT_CA_CERTIFICATE', URI: ca }]));
    for (const fn of ['ProduceUsersLambdaFunction', 'WriteUsersLambdaFunction']) {
      expect((template.resources[fn].Properties.Environment as { Variables: Record<string, string> }).Variables.KAFKA_ROOT_CA_SECRET_ARN).toBe(ca);
    }
  });

  it('lets both roles read the root CA and decrypt with the key through Secrets Manager only', () => {
    for (const roleId of ['ProduceUsersRole', 'WriteUsersRole']) {
      const statements = statementsOf(templates['example-kafka'], roleId);
      expect(statements.filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue')).flatMap(resourcesOf)).toContain(ca);
      const decrypt = statements.find((s) => actionsOf(s).includes('kms:Decrypt')) as PolicyStatement & { Condition?: unknown };
      expect(decrypt.Resource).toEqual([key]);
      expect(decrypt.Condition).toEqual({ StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'secretsmanager.${AWS::Region}.${AWS::URLSuffix}' } } });
    }
    expect(templates['example-msk'].text).not.toMatch(/kms:Decrypt|SERVER_ROOT_CA_CERTIFICATE|KAFKA_ROOT_CA_SECRET_ARN/);
  });
});

describe('the Keyspaces table a deployment creates', () => {
  let cassandra: Client;
  beforeAll(() => (cassandra = testCassandra()));
  afterAll(() => cassandra.shutdown());

  it.each(STAGES)('%s: has the columns, types and key Cassandra itself read from schema.cql', async (stage) => {
    // The native stack applied contract/schema.cql; Cassandra's own catalogue is the reference.
    const { rows } = await cassandra.execute(
      "SELECT column_name, type, kind FROM system_schema.columns WHERE keyspace_name = 'spark_streams' AND table_name = 'created_users'",
    );
    const table = templates[stage].resources.CreatedUsersTable;
    const keyspace = templates[stage].resources.SparkStreamsKeyspace;
    expect(keyspace).toMatchObject({ Type: 'AWS::Cassandra::Keyspace', Properties: { KeyspaceName: 'spark_streams' } });
    const packaged = table.Properties as {
      TableName: string;
      PartitionKeyColumns: Array<{ ColumnName: string; ColumnType: string }>;
      ClusteringKeyColumns?: unknown[];
      RegularColumns: Array<{ ColumnName: string; ColumnType: string }>;
    };
    expect(packaged.TableName).toBe('created_users');
    const byKind = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => ({ ColumnName: r.column_name as string, ColumnType: r.type as string }));
    const sort = (cols: Array<{ ColumnName: string }>) => [...cols].sort((a, b) => a.ColumnName.localeCompare(b.ColumnName));
    expect(packaged.PartitionKeyColumns).toEqual(byKind('partition_key'));
    expect(packaged.ClusteringKeyColumns ?? []).toEqual(byKind('clustering'));
    expect(sort(packaged.RegularColumns)).toEqual(sort(byKind('regular')));
    expect(table.Properties.PointInTimeRecoveryEnabled).toBe(true);
  });

  it.each(STAGES)('%s: keeps the keyspace and table on sls remove and on replacement, but not when the deploy that created them rolls back', (stage) => {
    for (const name of ['SparkStreamsKeyspace', 'CreatedUsersTable']) {
      expect([name, templates[stage].resources[name]]).toMatchObject([name, { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' }]);
    }
  });

  it.each(STAGES)('%s: a failed first deploy leaves nothing with a name of its own behind, so the next deploy can create it all again', (stage) => {
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(templates[stage].dir, file), 'utf8'));
    const create = read('cloudformation-template-create-stack.json');
    const update = read('cloudformation-template-update-stack.json');
    // osls creates the stack with its deployment bucket, and adds the rest in the update that may fail.
    expect(Object.keys(create.Resources)).toEqual(['ServerlessDeploymentBucket', 'ServerlessDeploymentBucketPolicy']);
    // Only osls' function versions survive the rollback, and they go with their functions: nothing
    // with a name of its own is left for the retry to collide with.
    const left = leftBehindByFailedFirstDeploy(create, update);
    expect(left.filter((one) => one.fixedName !== undefined)).toEqual([]);
    expect(left.map((one) => one.type)).toEqual(['AWS::Lambda::Version', 'AWS::Lambda::Version']);
    // With the keyspace and table on Retain, as they were: a rolled-back first deploy keeps both, and
    // the retry fails with AlreadyExists on spark_streams.
    const retained = structuredClone(update);
    for (const name of ['SparkStreamsKeyspace', 'CreatedUsersTable']) retained.Resources[name].DeletionPolicy = 'Retain';
    expect(leftBehindByFailedFirstDeploy(create, retained).filter((one) => one.fixedName !== undefined)).toEqual([
      { resource: 'SparkStreamsKeyspace', type: 'AWS::Cassandra::Keyspace', fixedName: 'spark_streams' },
      { resource: 'CreatedUsersTable', type: 'AWS::Cassandra::Table', fixedName: 'created_users' },
    ]);
  });

  it('is on-demand by default and provisioned when the stage says so', () => {
    expect(templates['example-msk'].resources.CreatedUsersTable.Properties.BillingMode).toEqual({ Mode: 'ON_DEMAND' });
    expect(templates['example-kafka'].resources.CreatedUsersTable.Properties.BillingMode).toEqual({
      Mode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 200 },
    });
  });
});

describe('a filter added to writeUsers’ msk event where osls documents it', () => {
  it('reaches the packaged mapping as its FilterCriteria', async () => {
    const config = `serverless.filter-${process.pid}.yml`;
    const original = fs.readFileSync(path.join(PROJECT_ROOT, 'serverless.yml'), 'utf8');
    const block = '    msk:\n      msk:\n';
    expect(original).toContain(block);
    fs.writeFileSync(
      path.join(PROJECT_ROOT, config),
      original.replace(block, `${block}        filterPatterns:\n          - value:\n              gender: [female]\n`),
    );
    try {
      const template = await packageStage('example-msk', ['--config', config]);
      const [[, mapping]] = template.ofType('AWS::Lambda::EventSourceMapping');
      expect(mapping.Properties.FilterCriteria).toEqual({ Filters: [{ Pattern: JSON.stringify({ value: { gender: ['female'] } }) }] });
    } finally {
      fs.rmSync(path.join(PROJECT_ROOT, config), { force: true });
    }
  }, 120_000);
});

describe('a stage that uses an existing keyspace and table', () => {
  it('creates neither, keeps writeUsers scoped to their names, and still passes cfn-lint', async () => {
    const template = await packageStage('example-msk', ['--param', 'keyspacesSchema=existing']);
    expect(template.ofType('AWS::Cassandra::Keyspace')).toEqual([]);
    expect(template.ofType('AWS::Cassandra::Table')).toEqual([]);
    expect(templates['example-msk'].ofType('AWS::Cassandra::Table')).toHaveLength(1);
    const modify = statementsOf(template, 'WriteUsersRole').filter((s) => actionsOf(s).includes('cassandra:Modify'));
    expect(modify.flatMap(resourcesOf)).toEqual([
      JSON.stringify({ 'Fn::Sub': 'arn:${AWS::Partition}:cassandra:${AWS::Region}:${AWS::AccountId}:/keyspace/spark_streams/table/created_users' }),
    ]);
    const lint = await promisify(execFile)(pythonTool('cfn-lint'), ['--ignore-checks', 'W3005', '--', template.file]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(lint).toEqual({ code: 0, stdout: '' });
  }, 120_000);

  it('refuses provisioned capacity for a table the stack does not create', async () => {
    const { code, output } = await run(SLS, ['print', '--stage', 'example-kafka', '--param', 'keyspacesSchema=existing'], {});
    expect(code).not.toBe(0);
    expect(output).toContain('with keyspacesSchema: existing, set it on the table itself');
  }, 60_000);
});

describe('stages that cannot deploy', () => {
  it('fails to package an AWS stage that lacks parameters, naming each one', async () => {
    const { code, output } = await run(SLS, ['package', '--stage', 'prod', '--param', 'kafka=self-managed'], {});
    expect(code).not.toBe(0);
    for (const name of ['kafkaBrokers', 'kafkaSecretArn', 'subnetIds', 'securityGroupIds'])
      expect(output).toContain(`${name} is required for kafka: self-managed`);
    expect(output).toContain('params.prod in serverless.yml or pass --param');
  }, 60_000);

  it('refuses loopback brokers for an AWS stage, even when passed with --param', async () => {
    const { code, output } = await run(
      SLS,
      [
        'print',
        '--stage',
        'prod',
        '--param',
        'kafka=self-managed',
        '--param',
        'kafkaBrokers=127.0.0.1:9092',
        '--param',
        'kafkaSecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf',
        '--param',
        'subnetIds=subnet-0a',
        '--param',
        'securityGroupIds=sg-0a',
      ],
      {},
    );
    expect(code).not.toBe(0);
    expect(output).toContain('kafkaBrokers "127.0.0.1:9092" points at this machine');
  }, 60_000);

  it('packages a stage whose parameters all come from --param', async () => {
    const template = await packageStage('staging', [
      '--param',
      'mskClusterArn=arn:aws:kafka:eu-west-1:210987654321:cluster/prod-users/abcd-1',
      '--param',
      'mskBootstrapServers=b-1.prod.kafka.eu-west-1.amazonaws.com:9098',
      '--param',
      'subnetIds=subnet-0aa',
      '--param',
      'securityGroupIds=sg-0bb',
      '--param',
      'schemaRegistryUri=https://registry.prod.internal',
      '--param',
      'schedule=rate(5 minutes)',
      '--region',
      'eu-west-1',
    ]);
    const [[, rule]] = template.ofType('AWS::Events::Rule');
    expect(rule.Properties.ScheduleExpression).toBe('rate(5 minutes)');
    expect(template.ofType('AWS::Lambda::EventSourceMapping')[0][1].Properties.EventSourceArn).toBe(
      'arn:aws:kafka:eu-west-1:210987654321:cluster/prod-users/abcd-1',
    );
    expect(template.text).toContain('cassandra.eu-west-1.amazonaws.com:9142');
  }, 60_000);

  it('refuses to deploy an example stage, before any AWS call', async () => {
    const { code, output } = await run(SLS, ['deploy', '--stage', 'example-msk'], {
      AWS_ACCESS_KEY_ID: 'none',
      AWS_SECRET_ACCESS_KEY: 'none',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    expect(code).not.toBe(0);
    expect(output).toContain('Stage "example-msk" is an example');
  }, 120_000);

  it('refuses to deploy a local Kafka stage anywhere but an AWS API emulator', async () => {
    const { code, output } = await run(SLS, ['deploy', '--stage', 'local'], { AWS_ENDPOINT_URL: '', AWS_ACCESS_KEY_ID: 'none', AWS_SECRET_ACCESS_KEY: 'none' });
    expect(code).not.toBe(0);
    expect(output).toContain('uses the Kafka on this machine (kafka: local), which AWS cannot reach');
  }, 120_000);
});

// https://docs.aws.amazon.com/lambda/latest/dg/services-consume-kafka-events.html (schema registries)
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-eventsourcemapping-schemaregistryconfig.html
describe('the schema registry of writeUsers’ mapping', () => {
  const registrySecret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:users-schema-registry-MnOpQr';
  const sourceConfigOf = { 'example-msk': 'AmazonManagedKafkaEventSourceConfig', 'example-kafka': 'SelfManagedKafkaEventSourceConfig' } as const;

  it.each(STAGES)('%s: validates each value against the Confluent-compatible registry and delivers JSON, in the source config AWS reads it from', (stage) => {
    const [[, mapping]] = templates[stage].ofType('AWS::Lambda::EventSourceMapping');
    const sourceConfig = mapping.Properties[sourceConfigOf[stage]] as { ConsumerGroupId: string; SchemaRegistryConfig: Record<string, unknown> };
    expect(sourceConfig.ConsumerGroupId).toBe(`realtime-data-streaming-${stage}-writeUsers-users_created`);
    expect(sourceConfig.SchemaRegistryConfig).toMatchObject({
      SchemaRegistryURI: 'https://schema-registry.internal.example.com',
      EventRecordFormat: 'JSON',
      SchemaValidationConfigs: [{ Attribute: 'VALUE' }],
    });
    // A registry works in provisioned mode only.
    expect(mapping.Properties.ProvisionedPollerConfig).toBeDefined();
    expect(mapping.Properties).not.toHaveProperty('SchemaRegistryConfig');
    const produceUsers = templates[stage].resources.ProduceUsersLambdaFunction.Properties.Environment as { Variables: Record<string, string> };
    expect(produceUsers.Variables.SCHEMA_REGISTRY_URL).toBe('https://schema-registry.internal.example.com');
  });

  it('authenticates to the registry with BASIC_AUTH from the secret, which the mapping (through writeUsers’ role) and produceUsers may read', () => {
    const template = templates['example-kafka'];
    const [[, mapping]] = template.ofType('AWS::Lambda::EventSourceMapping');
    const { SchemaRegistryConfig } = mapping.Properties.SelfManagedKafkaEventSourceConfig as { SchemaRegistryConfig: { AccessConfigs: unknown } };
    expect(SchemaRegistryConfig.AccessConfigs).toEqual([{ Type: 'BASIC_AUTH', URI: registrySecret }]);
    for (const roleId of ['ProduceUsersRole', 'WriteUsersRole']) {
      const reads = statementsOf(template, roleId).filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
      expect(reads.flatMap(resourcesOf)).toContain(registrySecret);
      expect(reads.flatMap(actionsOf)).toEqual(reads.map(() => 'secretsmanager:GetSecretValue'));
    }
    expect(
      (template.resources.ProduceUsersLambdaFunction.Properties.Environment as { Variables: Record<string, string> }).Variables.SCHEMA_REGISTRY_SECRET_ARN,
    ).toBe(registrySecret);
    // A registry without authentication: no access config, no secret to read.
    expect(templates['example-msk'].text).not.toMatch(/BASIC_AUTH|SCHEMA_REGISTRY_SECRET_ARN/);
  });
});
