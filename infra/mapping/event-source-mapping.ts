// The emulator's view of a Kafka event-source mapping, read from the resolved serverless config:
// the function's `kafka`/`msk` event, plus the error controls read the way the deployment reads them
// (infra/mapping/error-controls.ts).
import { effectiveRetries, errorControlsOf, type ErrorControls } from './error-controls';
import { SettingsError } from '../settings-error';
import { schemaRegistryOf, type SchemaRegistry } from './schema-registry-config';

/** One filter pattern as osls takes it (`filterPatterns: [{value: {gender: [female]}}]`). */
export type FilterPattern = Record<string, unknown>;

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

export interface EventSourceMapping {
  functionKey: string;
  functionName: string;
  source: 'kafka' | 'msk';
  eventSourceArn?: string;
  topic: string;
  bootstrapServers: string[];
  consumerGroupId: string;
  enabled: boolean;
  batchSize: number;
  maximumBatchingWindowMs: number;
  startingPosition: StartingPosition;
  startingPositionTimestamp?: number;
  filterPatterns: FilterPattern[];
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  onFailureTopic?: string;
  /** The registry the mapping validates and deserialises records with (SchemaRegistryConfig), if any. */
  schemaRegistry?: SchemaRegistry;
  /** The secret the mapping logs in with (SASL_SCRAM_512_AUTH), read from Secrets Manager as AWS's poller reads it. */
  saslScram512SecretArn?: string;
}

/**
 * The name of the secret a local stage without Kafka logins names: osls requires an access
 * configuration on a `kafka` event, the local broker needs none, and the emulator reads none.
 */
export const NO_AUTH_SECRET_NAME = 'local-kafka-has-no-auth';

interface KafkaEventConfig {
  topic: string;
  bootstrapServers?: string[];
  arn?: unknown;
  batchSize?: number;
  maximumBatchingWindow?: number;
  startingPosition?: StartingPosition;
  startingPositionTimestamp?: number;
  consumerGroupId?: string;
  enabled?: boolean;
  filterPatterns?: FilterPattern[];
  onFailureDestination?: string;
  accessConfigurations?: Record<string, string[] | undefined>;
}

export interface ServerlessView {
  service: string;
  stage: string;
  functions: Record<string, { name?: string; events?: Array<Record<string, unknown>> }>;
  controls: Record<string, ErrorControls | undefined>;
  localBrokers: string[];
}

/** The group a mapping joins when its event names none; the deployment names the same one explicitly. */
export function defaultConsumerGroupId(service: string, stage: string, functionKey: string, topic: string): string {
  return `${service}-${stage}-${functionKey}-${topic}`;
}

export function mappingsOf(view: ServerlessView): EventSourceMapping[] {
  const mappings: EventSourceMapping[] = [];
  for (const [functionKey, fn] of Object.entries(view.functions)) {
    for (const event of fn.events ?? []) {
      const source = 'kafka' in event ? 'kafka' : 'msk' in event ? 'msk' : undefined;
      if (!source) continue;
      const config = event[source] as KafkaEventConfig;
      const controls = errorControlsOf(functionKey, config, view.controls[functionKey]);
      const onFailure = controls.onFailureDestination;
      if (onFailure !== undefined && !onFailure.startsWith('kafka://')) {
        throw new SettingsError(`${functionKey}: onFailureDestination must be kafka://<topic> locally, got ${onFailure}.`);
      }
      mappings.push({
        functionKey,
        functionName: fn.name ?? `${view.service}-${view.stage}-${functionKey}`,
        source,
        eventSourceArn: source === 'msk' ? String(typeof config.arn === 'string' ? config.arn : JSON.stringify(config.arn)) : undefined,
        topic: config.topic,
        // An MSK cluster ARN cannot be reached locally: msk events read the local brokers.
        bootstrapServers: source === 'kafka' && config.bootstrapServers?.length ? config.bootstrapServers : view.localBrokers,
        consumerGroupId: config.consumerGroupId ?? defaultConsumerGroupId(view.service, view.stage, functionKey, config.topic),
        enabled: config.enabled ?? true,
        batchSize: config.batchSize ?? 100,
        // osls writes the window only when it is not 0, so 0 deploys as AWS's default of 0.5 s too.
        maximumBatchingWindowMs: Math.round((config.maximumBatchingWindow || 0.5) * 1000),
        startingPosition: config.startingPosition ?? 'TRIM_HORIZON',
        startingPositionTimestamp: config.startingPositionTimestamp,
        filterPatterns: config.filterPatterns ?? [],
        maximumRetryAttempts: effectiveRetries(controls),
        maximumRecordAgeInSeconds: controls.maximumRecordAgeInSeconds,
        bisectBatchOnFunctionError: controls.bisectBatchOnFunctionError,
        reportBatchItemFailures: controls.reportBatchItemFailures,
        onFailureTopic: onFailure?.slice('kafka://'.length),
        schemaRegistry: schemaRegistryOf(functionKey, view.controls[functionKey]?.schemaRegistry),
        saslScram512SecretArn: scramSecretOf(config),
      });
    }
  }
  return mappings;
}

function scramSecretOf(config: KafkaEventConfig): string | undefined {
  const [arn] = config.accessConfigurations?.saslScram512Auth ?? [];
  return arn === undefined || arn.endsWith(`:secret:${NO_AUTH_SECRET_NAME}`) ? undefined : arn;
}
