// An event-source mapping for emulator tests: AWS's defaults, a short window, and a group of its own.
import type { EventSourceMapping } from '../../infra/offline-kafka/event-source-mapping';
import { BROKERS } from './services';

export function mappingFor(topic: string, overrides: Partial<EventSourceMapping> = {}): EventSourceMapping {
  return {
    functionKey: 'recorder',
    functionName: 'test-dev-recorder',
    source: 'kafka',
    topic,
    bootstrapServers: BROKERS,
    consumerGroupId: `group-${topic}`,
    enabled: true,
    batchSize: 100,
    maximumBatchingWindowMs: 100,
    startingPosition: 'TRIM_HORIZON',
    filterPatterns: [],
    maximumRetryAttempts: -1,
    maximumRecordAgeInSeconds: -1,
    bisectBatchOnFunctionError: false,
    reportBatchItemFailures: false,
    ...overrides,
  };
}
