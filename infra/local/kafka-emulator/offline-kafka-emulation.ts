// The serverless plugin's body: under `sls offline start`, one KafkaEventSourceEmulator per kafka/msk
// event of every function in the resolved configuration, each invoking its function in
// serverless-offline's Lambda runtime.
import { hostPortSetting, parseHostPortList } from '../../../functions/shared/host-port-list';
import { KafkaEventSourceEmulator } from './kafka-event-source-emulator';
import type { ErrorControls } from '../../mapping/error-controls';
import { mappingsOf, type ServerlessView } from '../../mapping/event-source-mapping';
import { offlineLambdaInvoker, type OfflineLambda } from './offline-lambda-invoker';
import { SettingsError } from '../../settings-error';

interface Serverless {
  service: {
    service: string;
    provider: { stage?: string; environment?: Record<string, string> };
    custom?: { eventSourceMappings?: Record<string, ErrorControls> };
    functions: ServerlessView['functions'];
  };
}

export class OfflineKafkaEmulation {
  private emulators: KafkaEventSourceEmulator[] = [];

  constructor(
    private readonly serverless: Serverless,
    private readonly options: { stage?: string },
    private readonly log: (line: string) => void,
    private readonly lambda: OfflineLambda,
  ) {}

  async start(): Promise<void> {
    const { service } = this.serverless;
    const brokers = parseHostPortList('KAFKA_BROKERS', hostPortSetting(process.env, 'KAFKA_BROKERS'), 9092);
    if (!brokers.ok) throw new SettingsError(`${brokers.problem}. Fix KAFKA_BROKERS or unset it for the local default.`);
    const localBrokers = brokers.entries;
    const mappings = mappingsOf({
      service: service.service,
      stage: this.options.stage ?? service.provider.stage ?? 'local',
      functions: service.functions,
      controls: service.custom?.eventSourceMappings ?? {},
      localBrokers,
    });
    this.lambda.create(mappings.map(({ functionKey }) => ({ functionKey, functionDefinition: service.functions[functionKey] })));
    const invoke = offlineLambdaInvoker(this.lambda);
    this.emulators = mappings.map((mapping) => new KafkaEventSourceEmulator(mapping, { invoke, log: this.log }));
    await Promise.all(this.emulators.map((emulator) => emulator.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.emulators.map((emulator) => emulator.stop()));
    // The functions' worker threads: their Cassandra and Kafka connections close with them.
    await this.lambda.cleanup();
    this.log('stopped; processed offsets are committed');
  }
}
