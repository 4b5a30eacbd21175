// The emulator's view of a Kafka event-source mapping, read from the resolved serverless config:
// the function's `kafka`/`msk` event, plus the controls osls has no fields for, kept in
// `custom.eventSourceMappings.<function>` (the same block the deployment uses).
import type { FilterPattern } from './event-filter';

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
}

export interface ErrorControls {
  maximumRetryAttempts?: number;
  maximumRecordAgeInSeconds?: number;
  bisectBatchOnFunctionError?: boolean;
  functionResponseTypes?: string[];
  onFailureDestination?: string;
}

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
}

export interface ServerlessView {
  service: string;
  stage: string;
  functions: Record<string, { name?: string; events?: Array<Record<string, unknown>> }>;
  controls: Record<string, ErrorControls | undefined>;
  localBrokers: string[];
}

/** AWS applies at most 10 retries when retries are unlimited and an on-failure destination is set. */
const RETRIES_WITH_DESTINATION = 10;

export function mappingsOf(view: ServerlessView): EventSourceMapping[] {
  const mappings: EventSourceMapping[] = [];
  for (const [functionKey, fn] of Object.entries(view.functions)) {
    for (const event of fn.events ?? []) {
      const source = 'kafka' in event ? 'kafka' : 'msk' in event ? 'msk' : undefined;
      if (!source) continue;
      const config = event[source] as KafkaEventConfig;
      const controls = view.controls[functionKey] ?? {};
      const onFailure = controls.onFailureDestination;
      if (onFailure !== undefined && !onFailure.startsWith('kafka://')) {
        throw new Error(`custom.eventSourceMappings.${functionKey}.onFailureDestination must be kafka://<topic> locally, got ${onFailure}.`);
      }
      const onFailureTopic = onFailure?.slice('kafka://'.length);
      const retries = controls.maximumRetryAttempts ?? -1;
      mappings.push({
        functionKey,
        functionName: fn.name ?? `${view.service}-${view.stage}-${functionKey}`,
        source,
        eventSourceArn: source === 'msk' ? String(typeof config.arn === 'string' ? config.arn : JSON.stringify(config.arn)) : undefined,
        topic: config.topic,
        // An MSK cluster ARN cannot be reached locally: msk events read the local brokers.
        bootstrapServers: source === 'kafka' && config.bootstrapServers?.length ? config.bootstrapServers : view.localBrokers,
        consumerGroupId: config.consumerGroupId ?? `${view.service}-${view.stage}-${functionKey}-${config.topic}`,
        enabled: config.enabled ?? true,
        batchSize: config.batchSize ?? 100,
        maximumBatchingWindowMs: Math.round((config.maximumBatchingWindow ?? 0.5) * 1000),
        startingPosition: config.startingPosition ?? 'TRIM_HORIZON',
        startingPositionTimestamp: config.startingPositionTimestamp,
        filterPatterns: config.filterPatterns ?? [],
        maximumRetryAttempts: retries === -1 && onFailureTopic ? RETRIES_WITH_DESTINATION : retries,
        maximumRecordAgeInSeconds: controls.maximumRecordAgeInSeconds ?? -1,
        bisectBatchOnFunctionError: controls.bisectBatchOnFunctionError ?? false,
        reportBatchItemFailures: (controls.functionResponseTypes ?? []).includes('ReportBatchItemFailures'),
        onFailureTopic,
      });
    }
  }
  return mappings;
}
