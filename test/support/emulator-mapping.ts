// An event-source mapping for emulator tests, read from a kafka event by the same mappingsOf that reads
// serverless.yml, so AWS's defaults are stated once (event-source-mapping.ts). A short window and a
// group of its own; `event` adds kafka event fields as osls takes them, `overrides` the resolved ones.
import { mappingsOf, type EventSourceMapping } from '../../infra/mapping/event-source-mapping';
import { BROKERS } from './services';
import type { KafkaBatchResponse, LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { KafkaEventSourceEmulator, type InvokeOutcome } from '../../infra/local/kafka-emulator/kafka-event-source-emulator';
import type { LoadedFunction } from './lambda';

export function mappingFor(topic: string, overrides: Partial<EventSourceMapping> = {}, event: Record<string, unknown> = {}): EventSourceMapping {
  const [mapping] = mappingsOf({
    service: 'test',
    stage: 'dev',
    functions: {
      recorder: {
        name: 'test-dev-recorder',
        events: [{ kafka: { topic, bootstrapServers: BROKERS, consumerGroupId: `group-${topic}`, maximumBatchingWindow: 0.1, ...event } }],
      },
    },
    controls: {},
    localBrokers: BROKERS,
  });
  return { ...mapping, ...overrides };
}

/** An emulator invoking a loaded function directly, as sls offline would: a thrown error is a failed invocation. */
export function emulatorInvoking(mapping: EventSourceMapping, fn: LoadedFunction<LambdaKafkaEvent, KafkaBatchResponse>): KafkaEventSourceEmulator {
  return new KafkaEventSourceEmulator(mapping, {
    invoke: async (_name, event): Promise<InvokeOutcome> => {
      try {
        return { ok: true, response: await fn.invoke(event) };
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    },
    log: () => undefined,
    retryDelayMs: () => 50,
  });
}
