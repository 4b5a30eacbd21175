import fs from 'node:fs';
import path from 'node:path';
import { mappingsOf, type ServerlessView } from './event-source-mapping';

const view = (events: Array<Record<string, unknown>>, controls: ServerlessView['controls'] = {}): ServerlessView => ({
  service: 'svc',
  stage: 'dev',
  functions: { writeUsers: { name: 'svc-dev-writeUsers', events }, produceUsers: { events: [{ schedule: 'rate(1 minute)' }] } },
  controls,
  localBrokers: ['127.0.0.1:9092'],
});

describe('event-source mappings from the resolved serverless config', () => {
  it("takes AWS's defaults for what the event leaves out", () => {
    const [mapping] = mappingsOf(view([{ kafka: { topic: 'users_created', bootstrapServers: ['k:9092'] } }]));
    expect(mapping).toMatchObject({
      functionName: 'svc-dev-writeUsers',
      source: 'kafka',
      bootstrapServers: ['k:9092'],
      consumerGroupId: 'svc-dev-writeUsers-users_created',
      enabled: true,
      batchSize: 100,
      maximumBatchingWindowMs: 500,
      startingPosition: 'TRIM_HORIZON',
      maximumRetryAttempts: -1,
      maximumRecordAgeInSeconds: -1,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: false,
    });
  });

  it('logs in with the SCRAM secret of the event’s access configuration, and with none for the local stage’s placeholder', () => {
    const secret = 'arn:aws:secretsmanager:us-east-1:1:secret:kafka-scram';
    const withSecret = (arn: string) => mappingsOf(view([{ kafka: { topic: 't', accessConfigurations: { saslScram512Auth: [arn] } } }]))[0];
    expect(withSecret(secret).saslScram512SecretArn).toBe(secret);
    expect(withSecret('arn:aws:secretsmanager:us-east-1:000000000000:secret:local-kafka-has-no-auth').saslScram512SecretArn).toBeUndefined();
    expect(mappingsOf(view([{ kafka: { topic: 't' } }]))[0].saslScram512SecretArn).toBeUndefined();
  });

  it('takes a window of 0 as AWS does with what osls deploys for it: the 0.5 s default', () => {
    const [mapping] = mappingsOf(view([{ kafka: { topic: 't', bootstrapServers: ['k:9092'], maximumBatchingWindow: 0 } }]));
    expect(mapping.maximumBatchingWindowMs).toBe(500);
  });

  it('reads msk events from the local brokers and keeps their ARN', () => {
    const [mapping] = mappingsOf(view([{ msk: { topic: 't', arn: 'arn:aws:kafka:us-east-1:1:cluster/c/x', consumerGroupId: 'g' } }]));
    expect(mapping).toMatchObject({
      source: 'msk',
      bootstrapServers: ['127.0.0.1:9092'],
      eventSourceArn: 'arn:aws:kafka:us-east-1:1:cluster/c/x',
      consumerGroupId: 'g',
    });
  });

  it('applies the error controls of custom.eventSourceMappings, with at most 10 retries when a destination is set', () => {
    const [mapping] = mappingsOf(
      view([{ kafka: { topic: 't', bootstrapServers: ['k:9092'] } }], {
        writeUsers: { bisectBatchOnFunctionError: true, functionResponseTypes: ['ReportBatchItemFailures'], onFailureDestination: 'kafka://t.dlq' },
      }),
    );
    expect(mapping).toMatchObject({ bisectBatchOnFunctionError: true, reportBatchItemFailures: true, onFailureTopic: 't.dlq', maximumRetryAttempts: 10 });
  });

  it('refuses an on-failure destination it cannot reach locally', () => {
    expect(() => mappingsOf(view([{ kafka: { topic: 't' } }], { writeUsers: { onFailureDestination: 'arn:aws:sqs:us-east-1:1:q' } }))).toThrow(
      /must be kafka:\/\/<topic> locally/,
    );
  });
});

describe("docs/emulator.md's statement of the mapping defaults", () => {
  it('is what mappingsOf applies', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../docs/emulator.md'), 'utf8').replace(/\s+/g, ' ');
    const [mapping] = mappingsOf(view([{ kafka: { topic: 't', bootstrapServers: ['k:9092'] } }]));
    expect(readme).toContain(`\`batchSize\` records (default ${mapping.batchSize})`);
    expect(readme).toContain(`\`maximumBatchingWindow\` seconds (default ${mapping.maximumBatchingWindowMs / 1000})`);
    expect(readme).toContain(`\`startingPosition\` (\`${mapping.startingPosition}\``);
  });

  it('gives a kafka event without brokers the local ones, and only msk events an event-source ARN', () => {
    const [kafka, msk] = mappingsOf(view([{ kafka: { topic: 't' } }, { msk: { topic: 't', arn: { 'Fn::GetAtt': ['Cluster', 'Arn'] } } }]));
    expect(kafka).toMatchObject({ bootstrapServers: ['127.0.0.1:9092'], eventSourceArn: undefined });
    expect(msk).toMatchObject({ bootstrapServers: ['127.0.0.1:9092'], eventSourceArn: JSON.stringify({ 'Fn::GetAtt': ['Cluster', 'Arn'] }) });
    const [withBrokers] = mappingsOf(view([{ kafka: { topic: 't', bootstrapServers: [] } }]));
    expect(withBrokers.bootstrapServers).toEqual(['127.0.0.1:9092']);
  });

  it('says which destination form works locally when an on-failure destination is not a Kafka topic', () => {
    expect(() => mappingsOf(view([{ kafka: { topic: 't', onFailureDestination: 'arn:aws:sqs:us-east-1:1:q' } }]))).toThrow(
      'writeUsers: onFailureDestination must be kafka://<topic> locally, got arn:aws:sqs:us-east-1:1:q.',
    );
  });
});
