// The serverless plugin's body: under `sls offline start`, one KafkaEventSourceEmulator per kafka/msk
// event of every function in the resolved configuration.
import { hostPortSetting, parseHostPortList } from '../../../functions/shared/host-port-list';
import { KafkaEventSourceEmulator } from './kafka-event-source-emulator';
import type { ErrorControls } from '../../mapping/error-controls';
import { mappingsOf, type ServerlessView } from '../../mapping/event-source-mapping';
import { offlineLambdaInvoker } from './offline-lambda-invoker';
import { SettingsError } from '../../settings-error';

interface Serverless {
  service: {
    service: string;
    provider: { stage?: string; environment?: Record<string, string> };
    custom?: { eventSourceMappings?: Record<string, ErrorControls>; 'serverless-offline'?: { host?: string; lambdaPort?: number | string } };
    functions: ServerlessView['functions'];
  };
}

export class OfflineKafkaEmulation {
  private emulators: KafkaEventSourceEmulator[] = [];
  private stopping = false;

  constructor(
    private readonly serverless: Serverless,
    private readonly options: { stage?: string; host?: string; lambdaPort?: number | string },
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    const { service } = this.serverless;
    const offline = service.custom?.['serverless-offline'] ?? {};
    const host = this.options.host ?? offline.host ?? '127.0.0.1';
    const lambdaPort = this.options.lambdaPort ?? offline.lambdaPort ?? 3002;
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
    const invoke = offlineLambdaInvoker(`http://${host}:${lambdaPort}`, () => this.stopping);
    this.emulators = mappings.map((mapping) => new KafkaEventSourceEmulator(mapping, { invoke, log: this.log }));
    await Promise.all(this.emulators.map((emulator) => emulator.start()));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.emulators.map((emulator) => emulator.stop()));
    this.log('stopped; processed offsets are committed');
  }
}
