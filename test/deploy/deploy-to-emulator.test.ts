// A real `sls deploy --stage local` → `sls info` → `sls remove`, against moto's AWS API emulator on
// loopback: the deployment path osls takes in AWS (S3 upload, CloudFormation, Lambda, IAM, EventBridge,
// CloudWatch Logs), checked with the AWS SDK as an operator would check an account. The removal goes
// through an endpoint that refuses ECR as LocalStack's free image does.
import { CloudFormationClient, DescribeStackResourcesCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetRolePolicyCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, LambdaClient, ListEventSourceMappingsCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { AwsApiEmulator } from '../support/aws-api-emulator';
import { EcrRefusingProxy } from '../support/ecr-refusing-proxy';
import { run, SLS, type Finished } from '../support/processes';

const STACK = 'realtime-data-streaming-local';
const PREFIX = `${STACK}-`;
const emulator = new AwsApiEmulator();
let deployed: Finished;

function clients() {
  const config = { endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  return {
    cloudFormation: new CloudFormationClient(config),
    lambda: new LambdaClient(config),
    events: new EventBridgeClient(config),
    logs: new CloudWatchLogsClient(config),
    iam: new IAMClient(config),
  };
}

const sls = (command: string, extra: Record<string, string> = {}) => run(SLS, [command, '--stage', 'local'], { ...emulator.env, ...extra }, 240_000);

beforeAll(async () => {
  await emulator.start();
  // Settings of the local stage come from the shell, as under npm start; this one must reach the function.
  deployed = await sls('deploy', { USERS_PER_RUN: '7' });
}, 300_000);

afterAll(() => emulator.stop());

describe('sls deploy --stage local to an AWS API emulator', () => {
  it('deploys the stack', async () => {
    expect(deployed.output).toContain(`Service deployed to stack ${STACK}`);
    expect(deployed.code).toBe(0);
    const { Stacks } = await clients().cloudFormation.send(new DescribeStacksCommand({ StackName: STACK }));
    // osls creates the stack with its deployment bucket first, then updates it with everything else.
    expect(Stacks?.[0].StackStatus).toBe('UPDATE_COMPLETE');
  });

  it('creates both functions as configured, each with its own role', async () => {
    const { lambda, cloudFormation } = clients();
    const { StackResources } = await cloudFormation.send(new DescribeStackResourcesCommand({ StackName: STACK }));
    const physical = (logicalId: string) => StackResources!.find((r) => r.LogicalResourceId === logicalId)!.PhysicalResourceId!;
    const produce = (await lambda.send(new GetFunctionCommand({ FunctionName: `${PREFIX}produceUsers` }))).Configuration!;
    const write = (await lambda.send(new GetFunctionCommand({ FunctionName: `${PREFIX}writeUsers` }))).Configuration!;
    // moto drops Architectures from functions CloudFormation creates: packaged-templates.test.ts holds arm64.
    expect(produce).toMatchObject({ Runtime: 'nodejs24.x', Timeout: 30, MemorySize: 512, Handler: 'functions/produce-users/handler.handler' });
    expect(write).toMatchObject({ Runtime: 'nodejs24.x', Timeout: 60, Handler: 'functions/write-users/handler.handler' });
    expect(produce.Environment?.Variables).toMatchObject({ USERS_PER_RUN: '7', POWERTOOLS_METRICS_NAMESPACE: 'RealtimeDataStreaming' });
    expect(produce.Role).toContain(physical('ProduceUsersRole'));
    expect(write.Role).toContain(physical('WriteUsersRole'));
    expect(physical('ProduceUsersRole')).not.toBe(physical('WriteUsersRole'));
  });

  it('grants each role only its own log group', async () => {
    const { iam, cloudFormation } = clients();
    const { StackResources } = await cloudFormation.send(new DescribeStackResourcesCommand({ StackName: STACK }));
    for (const key of ['produceUsers', 'writeUsers']) {
      const roleName = StackResources!.find((r) => r.LogicalResourceId === `${key[0].toUpperCase()}${key.slice(1)}Role`)!.PhysicalResourceId!;
      const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: `${key}-least-privilege` }));
      const document = decodeURIComponent(PolicyDocument!);
      expect(document).toContain(`log-group:/aws/lambda/${PREFIX}${key}:*`);
      expect(document).not.toContain('"*"');
    }
  });

  it('schedules produceUsers every minute', async () => {
    const { events, lambda } = clients();
    const { Rules } = await events.send(new ListRulesCommand({}));
    const schedule = Rules!.filter((rule) => rule.ScheduleExpression);
    expect(schedule).toHaveLength(1);
    expect(schedule[0]).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: schedule[0].Name! }));
    const produce = (await lambda.send(new GetFunctionCommand({ FunctionName: `${PREFIX}produceUsers` }))).Configuration!;
    expect(Targets!.map((t) => t.Arn)).toEqual([produce.FunctionArn]);
  });

  it('creates the log groups with their retention', async () => {
    const { logGroups } = await clients().logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/lambda/${PREFIX}` }));
    expect(logGroups!.map((g) => [g.logGroupName, g.retentionInDays]).sort()).toEqual([
      [`/aws/lambda/${PREFIX}produceUsers`, 14],
      [`/aws/lambda/${PREFIX}writeUsers`, 14],
    ]);
  });

  it('leaves the Kafka mapping to sls offline: a local broker cannot be reached from AWS', async () => {
    const { EventSourceMappings } = await clients().lambda.send(new ListEventSourceMappingsCommand({ FunctionName: `${PREFIX}writeUsers` }));
    expect(EventSourceMappings).toEqual([]);
  });

  it('answers sls info with the stage and its functions', async () => {
    const info = await sls('info');
    expect(info.code).toBe(0);
    expect(info.output).toMatch(/stage: local/);
    expect(info.output).toContain(`produceUsers: ${PREFIX}produceUsers`);
    expect(info.output).toContain(`writeUsers: ${PREFIX}writeUsers`);
  }, 120_000);
});

describe('sls remove --stage local', () => {
  it('removes everything the deployment created, through an endpoint that refuses ECR as LocalStack’s free image does', async () => {
    const withoutEcr = new EcrRefusingProxy(emulator.endpoint);
    await withoutEcr.start();
    const removed = await sls('remove', { AWS_ENDPOINT_URL: withoutEcr.endpoint }).finally(() => withoutEcr.stop());
    expect(removed.output).toContain('has been successfully removed');
    expect(removed.code).toBe(0);
    // The service deploys no images: osls never made a repository, so nothing asks ECR about one.
    expect(withoutEcr.refused).toEqual([]);
    const { lambda, events, logs, iam, cloudFormation } = clients();
    const stacks = await cloudFormation.send(new DescribeStacksCommand({ StackName: STACK })).then(
      ({ Stacks }) => Stacks!.filter((s) => s.StackStatus !== 'DELETE_COMPLETE'),
      () => [],
    );
    expect(stacks).toEqual([]);
    expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    expect((await events.send(new ListRulesCommand({}))).Rules).toEqual([]);
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/lambda/${PREFIX}` }))).logGroups).toEqual([]);
    const roles = (await iam.send(new ListRolesCommand({}))).Roles!.filter((r) => r.RoleName!.includes('UsersRole'));
    expect(roles).toEqual([]);
  }, 240_000);
});
