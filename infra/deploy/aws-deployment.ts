// Completes the CloudFormation template osls compiled, so that what deploys keeps the local pipeline's
// promises: the mapping's error controls (without ReportBatchItemFailures AWS would commit the rows
// writeUsers reports as failed), one least-privilege role per function, the Keyspaces keyspace and
// table generated from schema.cql, and alarms and a dashboard. Pure: template in, template out.
import type { CqlTable } from '../../contract/cql-table';
import { errorControlsOf, type ErrorControls } from '../mapping/error-controls';
import { schemaRegistryOf, toSchemaRegistryConfig } from '../mapping/schema-registry-config';
import type { StageSettings } from './stage-settings';
import { SettingsError } from '../settings-error';

type Json = Record<string, unknown>;
type Resource = Json & { Type: string; Properties?: Json };
export type Template = { Resources: Record<string, Resource>; Outputs?: Record<string, Json> };
type Statement = { Effect: 'Allow'; Action: string[]; Resource: unknown[] | unknown; Condition?: Json };

export interface DeployedFunction {
  key: string;
  name: string;
  /** osls' logical id for the function. */
  logicalId: string;
  events: Array<Record<string, unknown>>;
}

export interface DeploymentContext {
  settings: StageSettings;
  controls: Record<string, ErrorControls | undefined>;
  functions: { produceUsers: DeployedFunction; writeUsers: DeployedFunction };
  topics: { usersCreated: string; usersDeadLetter: string };
  table: CqlTable;
  namespace: string;
}

export const ROLE_LOGICAL_IDS = { produceUsers: 'ProduceUsersRole', writeUsers: 'WriteUsersRole' } as const;

const sub = (text: string) => ({ 'Fn::Sub': text });
const ARN = 'arn:${AWS::Partition}';

/** MSK IAM resource ARNs are the cluster's, with the resource type and name swapped in. */
function mskArn(clusterArn: string, type: 'topic' | 'group', name: string): string {
  return `${clusterArn.replace(':cluster/', `:${type}/`)}/${name}`;
}

// What a function in a VPC needs, as Lambda's managed policy AWSLambdaVPCAccessExecutionRole grants it
// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html):
// EC2 offers no resource-level scope for these, so they take "*".
const VPC_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];
// The Kafka mapping's pollers describe the VPC of a self-managed cluster
// (https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-permissions.html); writeUsers lists the
// Keyspaces VPC endpoint's interfaces as its peers
// (https://docs.aws.amazon.com/keyspaces/latest/devguide/vpc-endpoints.html#using-interface-vpc-endpoints).
const WRITER_DESCRIBE_ACTIONS = ['ec2:DescribeVpcs', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcEndpoints'];

// Active tracing sends the runtime's segments to X-Ray, with the execution role's permission to, as
// the managed policy AWSXRayDaemonWriteAccess grants it
// (https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html#services-xray-permissions);
// X-Ray has no resource-level scope for these.
const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

function logStatement(fn: DeployedFunction): Statement {
  return {
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: [sub(`${ARN}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${fn.name}:*`)],
  };
}

/** Publishing to `topics` (produceUsers to users_created; writeUsers its poison to the dead-letter topic). */
function publishStatements(context: DeploymentContext, topics: string[]): Statement[] {
  const { deployment, kafkaSource } = context.settings;
  if (kafkaSource === 'msk') {
    const cluster = deployment.mskClusterArn!;
    return [
      // The producers are idempotent, which MSK authorises on the cluster.
      { Effect: 'Allow', Action: ['kafka-cluster:Connect', 'kafka-cluster:WriteDataIdempotently'], Resource: [cluster] },
      { Effect: 'Allow', Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'], Resource: topics.map((topic) => mskArn(cluster, 'topic', topic)) },
    ];
  }
  if (kafkaSource === 'self-managed') {
    return [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [deployment.kafkaSecretArn!] }];
  }
  return [];
}

/** The private root CA both functions and the mapping read, and the KMS key of the stage's secrets. */
function secretStatements(context: DeploymentContext): Statement[] {
  const { kafkaRootCaSecretArn, schemaRegistrySecretArn, secretsKmsKeyArn } = context.settings.deployment;
  // The registry's BASIC_AUTH secret: the mapping reads it with the function's role, and produceUsers
  // reads it to look the schema id up (https://docs.aws.amazon.com/lambda/latest/dg/services-consume-kafka-events.html).
  const secrets = [kafkaRootCaSecretArn, schemaRegistrySecretArn].filter((arn): arn is string => arn !== undefined);
  return [
    ...(secrets.length > 0 ? [{ Effect: 'Allow' as const, Action: ['secretsmanager:GetSecretValue'], Resource: secrets }] : []),
    // A secret under a customer-managed key is decrypted with it, through Secrets Manager only
    // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
    ...(secretsKmsKeyArn
      ? [
          {
            Effect: 'Allow' as const,
            Action: ['kms:Decrypt'],
            Resource: [secretsKmsKeyArn],
            Condition: { StringEquals: { 'kms:ViaService': sub('secretsmanager.${AWS::Region}.${AWS::URLSuffix}') } },
          },
        ]
      : []),
  ];
}

/** What the event-source mapping itself does with the function's role. */
function mappingStatements(context: DeploymentContext, consumerGroupId: string): Statement[] {
  const { deployment, kafkaSource } = context.settings;
  if (kafkaSource !== 'msk') return []; // self-managed: the SCRAM secret, granted with publishing
  const cluster = deployment.mskClusterArn!;
  return [
    { Effect: 'Allow', Action: ['kafka:DescribeCluster', 'kafka:DescribeClusterV2', 'kafka:GetBootstrapBrokers'], Resource: [cluster] },
    // DescribeCluster: the mapping producing to its Kafka on-failure destination
    // (https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html#kafka-ofd-requirements).
    {
      Effect: 'Allow',
      Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster', 'kafka-cluster:DescribeClusterDynamicConfiguration'],
      Resource: [cluster],
    },
    { Effect: 'Allow', Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'], Resource: [mskArn(cluster, 'topic', context.topics.usersCreated)] },
    { Effect: 'Allow', Action: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'], Resource: [mskArn(cluster, 'group', consumerGroupId)] },
  ];
}

function keyspacesStatements(context: DeploymentContext): Statement[] {
  if (!context.settings.deployment.keyspaces) return [];
  const { keyspace, table } = context.table;
  return [
    {
      Effect: 'Allow',
      Action: ['cassandra:Modify'],
      Resource: [sub(`${ARN}:cassandra:\${AWS::Region}:\${AWS::AccountId}:/keyspace/${keyspace}/table/${table}`)],
    },
    // The driver reads the system keyspaces (peers, schema) when it connects; that is all it selects.
    { Effect: 'Allow', Action: ['cassandra:Select'], Resource: [sub(`${ARN}:cassandra:\${AWS::Region}:\${AWS::AccountId}:/keyspace/system*`)] },
  ];
}

function role(fn: DeployedFunction, statements: Statement[]): Resource {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
      },
      Policies: [{ PolicyName: `${fn.key}-least-privilege`, PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
    },
  };
}

/** The template's event-source mappings of one function. */
function mappingLogicalIds(template: Template, fn: DeployedFunction): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::EventSourceMapping')
    .filter(([, resource]) => JSON.stringify(resource.Properties?.FunctionName ?? '').includes(`"${fn.logicalId}"`))
    .map(([logicalId]) => logicalId);
}

function kafkaEventOf(fn: DeployedFunction): Record<string, unknown> & { consumerGroupId?: string; onFailureDestination?: string } {
  const event = fn.events.find((e) => 'kafka' in e || 'msk' in e);
  return (event?.kafka ?? event?.msk ?? {}) as Record<string, unknown>;
}

function completeMappings(template: Template, context: DeploymentContext): void {
  for (const fn of Object.values(context.functions)) {
    const logicalIds = mappingLogicalIds(template, fn);
    if (context.settings.kafkaSource === 'local') {
      // A local broker cannot be reached from AWS: sls offline's emulator plays this mapping instead.
      for (const logicalId of logicalIds) delete template.Resources[logicalId];
      continue;
    }
    const event = kafkaEventOf(fn);
    const controls = errorControlsOf(fn.key, event, context.controls[fn.key]);
    for (const logicalId of logicalIds) {
      const properties = template.Resources[logicalId].Properties!;
      if (!properties.ProvisionedPollerConfig) {
        throw new SettingsError(
          `${fn.key}: the mapping's error controls (retries, bisect, record age, destination) need provisioned mode; set minimumPollers and maximumPollers.`,
        );
      }
      if (controls.reportBatchItemFailures) properties.FunctionResponseTypes = ['ReportBatchItemFailures'];
      properties.MaximumRetryAttempts = controls.maximumRetryAttempts;
      properties.MaximumRecordAgeInSeconds = controls.maximumRecordAgeInSeconds;
      properties.BisectBatchOnFunctionError = controls.bisectBatchOnFunctionError;
      if (controls.onFailureDestination) properties.DestinationConfig = { OnFailure: { Destination: controls.onFailureDestination } };
      const registry = schemaRegistryOf(fn.key, context.controls[fn.key]?.schemaRegistry);
      // Not a property of the mapping itself: of its AmazonManagedKafkaEventSourceConfig or
      // SelfManagedKafkaEventSourceConfig, beside the consumer group id osls writes there.
      if (registry) {
        const sourceConfig = context.settings.kafkaSource === 'msk' ? 'AmazonManagedKafkaEventSourceConfig' : 'SelfManagedKafkaEventSourceConfig';
        properties[sourceConfig] = { ...(properties[sourceConfig] as object | undefined), SchemaRegistryConfig: toSchemaRegistryConfig(registry) };
      }
      // Metrics of the poller (lag, errors, counts) beside the function's own.
      properties.MetricsConfig = { Metrics: ['EventCount', 'ErrorCount', 'KafkaMetrics'] };
    }
  }
}

function addRoles(template: Template, context: DeploymentContext): void {
  const { produceUsers, writeUsers } = context.functions;
  for (const fn of [produceUsers, writeUsers]) {
    // osls also lists the role in DependsOn, which the Role's GetAtt already implies: cfn-lint flags
    // it (W3005) and AWS API emulators' template validation refuses it.
    const resource = template.Resources[fn.logicalId];
    const dependsOn = ((resource.DependsOn as string[] | undefined) ?? []).filter((id) => id !== ROLE_LOGICAL_IDS[fn.key as keyof typeof ROLE_LOGICAL_IDS]);
    if (dependsOn.length > 0) resource.DependsOn = dependsOn;
    else delete resource.DependsOn;
  }
  const inVpc = context.settings.vpc !== null;
  const writerEvent = kafkaEventOf(writeUsers);
  const tracing = context.settings.deployment.tracing ? [{ Effect: 'Allow' as const, Action: XRAY_ACTIONS, Resource: '*' }] : [];
  template.Resources[ROLE_LOGICAL_IDS.produceUsers] = role(produceUsers, [
    logStatement(produceUsers),
    ...tracing,
    ...publishStatements(context, [context.topics.usersCreated]),
    ...secretStatements(context),
    ...(inVpc ? [{ Effect: 'Allow' as const, Action: VPC_ACTIONS, Resource: '*' }] : []),
  ]);
  template.Resources[ROLE_LOGICAL_IDS.writeUsers] = role(writeUsers, [
    logStatement(writeUsers),
    ...tracing,
    ...keyspacesStatements(context),
    // Its own poison records, and the mapping's on-failure records, go to the dead-letter topic.
    ...publishStatements(context, [context.topics.usersDeadLetter]),
    ...mappingStatements(context, String(writerEvent.consumerGroupId)),
    ...secretStatements(context),
    ...(inVpc ? [{ Effect: 'Allow' as const, Action: [...VPC_ACTIONS, ...WRITER_DESCRIBE_ACTIONS], Resource: '*' }] : []),
  ]);
}

function addKeyspaces(template: Template, context: DeploymentContext): void {
  const capacity = context.settings.deployment.keyspaces;
  // keyspacesSchema: existing: the keyspace and table outlived an earlier stack, or belong to another
  // stage; the role is scoped to their names all the same.
  if (!capacity?.create) return;
  const { keyspace, table, columns, partitionKey, clusteringKey } = context.table;
  const column = (name: string) => ({ ColumnName: name, ColumnType: columns.find((c) => c.name === name)!.type });
  const keyColumns = new Set([...partitionKey, ...clusteringKey.map((c) => c.split(/\s+/)[0])]);
  // Personal data outlives the stack: `sls remove` leaves the keyspace and table in place. Except when
  // the operation that created them rolls back: osls creates the stack empty and adds these in an
  // update, and a kept keyspace from a failed first deploy would make the next one fail AlreadyExists.
  const retain = { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' };
  template.Resources.SparkStreamsKeyspace = { Type: 'AWS::Cassandra::Keyspace', ...retain, Properties: { KeyspaceName: keyspace } };
  template.Resources.CreatedUsersTable = {
    Type: 'AWS::Cassandra::Table',
    ...retain,
    Properties: {
      KeyspaceName: { Ref: 'SparkStreamsKeyspace' },
      TableName: table,
      PartitionKeyColumns: partitionKey.map(column),
      ...(clusteringKey.length
        ? { ClusteringKeyColumns: clusteringKey.map((c) => ({ Column: column(c.split(/\s+/)[0]), OrderBy: /\bdesc\b/i.test(c) ? 'DESC' : 'ASC' })) }
        : {}),
      RegularColumns: columns.filter((c) => !keyColumns.has(c.name)).map((c) => column(c.name)),
      BillingMode:
        capacity.mode === 'provisioned'
          ? { Mode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: capacity.readCapacityUnits, WriteCapacityUnits: capacity.writeCapacityUnits } }
          : { Mode: 'ON_DEMAND' },
      PointInTimeRecoveryEnabled: true,
    },
  };
}

function alarm(description: string, metric: Json, threshold: number, periods: number, actions: unknown[]): Resource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: description,
      ...metric,
      Period: 300,
      EvaluationPeriods: periods,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      ...(actions.length ? { AlarmActions: actions, OKActions: actions } : {}),
    },
  };
}

function addAlarmsAndDashboard(template: Template, context: DeploymentContext): void {
  const { produceUsers, writeUsers } = context.functions;
  const { alarmTopicArn, offsetLagAlarmThreshold } = context.settings.deployment;
  const actions = alarmTopicArn ? [alarmTopicArn] : [];
  const lambdaMetric = (fn: DeployedFunction, name: string, statistic: string) => ({
    Namespace: 'AWS/Lambda',
    MetricName: name,
    Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn.logicalId } }],
    Statistic: statistic,
  });
  for (const fn of [produceUsers, writeUsers]) {
    template.Resources[`${fn.logicalId.replace(/LambdaFunction$/, '')}ErrorsAlarm`] = alarm(
      `${fn.key} failed at least once in 5 minutes: read its logs (sls logs -f ${fn.key}).`,
      lambdaMetric(fn, 'Errors', 'Sum'),
      1,
      1,
      actions,
    );
  }
  template.Resources.WriteUsersOffsetLagAlarm = alarm(
    `writeUsers has fallen ${offsetLagAlarmThreshold} records behind users_created for 15 minutes: raise maximumPollers (up to the partitions) or batchSize, or look for errors.`,
    lambdaMetric(writeUsers, 'OffsetLag', 'Maximum'),
    offsetLagAlarmThreshold,
    3,
    actions,
  );
  const writerMetric = (name: string) => ({
    Namespace: context.namespace,
    MetricName: name,
    Dimensions: [{ Name: 'service', Value: writeUsers.key }],
    Statistic: 'Sum',
  });
  template.Resources.WriteUsersDeadLetteredAlarm = alarm(
    `writeUsers sent poison records to ${context.topics.usersDeadLetter} in the last 5 minutes: npm run dlq -- list shows why.`,
    writerMetric('DeadLettered'),
    1,
    1,
    actions,
  );
  // A batch that returns batchItemFailures is no function error: Errors stays 0 while rows wait for retry.
  template.Resources.WriteUsersFailedRowsAlarm = alarm(
    `writeUsers could not write some rows in 5 minutes and reported them for retry (batchItemFailures): read its logs (sls logs -f writeUsers) for the Cassandra or Keyspaces error.`,
    writerMetric('Failed'),
    1,
    1,
    actions,
  );
  // The mapping's own metrics (MetricsConfig EventCount and ErrorCount), as AWS's page defines them
  // (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#event-source-mapping-metrics):
  // OnFailureDestinationDeliveredEventCount counts records the mapping gave up on and delivered to the
  // destination; DroppedEventCount counts records it gave up on and did not deliver (delivered ones are
  // left out, failed deliveries are in); OnFailureDestinationDeliveryErrorCount counts failed
  // deliveries. A metric with nothing to count is not published at all, so each alarm reads its own
  // metric and treats missing data as nothing happened: a difference of two of them stays OK on total
  // loss, when no delivered count is published.
  for (const logicalId of mappingLogicalIds(template, writeUsers)) {
    const mappingMetric = (name: string) => ({
      Namespace: 'AWS/Lambda',
      MetricName: name,
      Dimensions: [{ Name: 'EventSourceMappingUUID', Value: { Ref: logicalId } }],
      Statistic: 'Sum',
    });
    template.Resources.WriteUsersMappingDeadLetteredAlarm = alarm(
      `The writeUsers mapping gave up on records after its retries or their age and sent them to ${context.topics.usersDeadLetter}: fix the cause, then npm run dlq -- redrive.`,
      mappingMetric('OnFailureDestinationDeliveredEventCount'),
      1,
      1,
      actions,
    );
    template.Resources.WriteUsersMappingDroppedAlarm = alarm(
      `The writeUsers mapping dropped records: it gave up on them and they reached no destination. They are lost from the pipeline; read them again from ${context.topics.usersCreated} (their offsets are in the mapping's logs) once the destination works.`,
      mappingMetric('DroppedEventCount'),
      1,
      1,
      actions,
    );
    template.Resources.WriteUsersMappingDeliveryErrorAlarm = alarm(
      `The writeUsers mapping could not deliver records to ${context.topics.usersDeadLetter}: check the topic exists and the mapping's role may write to it.`,
      mappingMetric('OnFailureDestinationDeliveryErrorCount'),
      1,
      1,
      actions,
    );
  }

  const widget = (title: string, metrics: unknown[][], stat: string, y: number, x: number) => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, metrics, stat, period: 60, region: '${AWS::Region}', view: 'timeSeries' },
  });
  const perFunction = (name: string) => [produceUsers, writeUsers].map((fn) => ['AWS/Lambda', name, 'FunctionName', `\${${fn.logicalId}}`]);
  const body = {
    widgets: [
      widget('Invocations per minute', perFunction('Invocations'), 'Sum', 0, 0),
      widget('Errors per minute', perFunction('Errors'), 'Sum', 0, 12),
      widget('Duration (ms, p99)', perFunction('Duration'), 'p99', 6, 0),
      widget('writeUsers offset lag (records)', [['AWS/Lambda', 'OffsetLag', 'FunctionName', `\${${writeUsers.logicalId}}`]], 'Maximum', 6, 12),
      widget(
        'Rows written and records dead-lettered per minute',
        [
          [context.namespace, 'Written', 'service', writeUsers.key],
          [context.namespace, 'DeadLettered', 'service', writeUsers.key],
          [context.namespace, 'Failed', 'service', writeUsers.key],
        ],
        'Sum',
        12,
        0,
      ),
    ],
  };
  template.Resources.PipelineDashboard = {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: { DashboardBody: sub(JSON.stringify(body)) },
  };
}

export function completeTemplate(template: Template, context: DeploymentContext): Template {
  completeMappings(template, context);
  addRoles(template, context);
  if (context.settings.kafkaSource !== 'local') {
    addKeyspaces(template, context);
    addAlarmsAndDashboard(template, context);
  }
  return template;
}
