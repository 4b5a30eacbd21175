// The native Kafka + Cassandra stack: starts what is missing, waits until each really answers, then
// provisions topics and schema. No Docker needed; only a JDK 17+ and Maven.
import { CassandraNode } from './cassandra-node';
import { findJava, type Java } from './java';
import { KafkaBroker } from './kafka-broker';
import type { LocalService } from './local-service';
import { isListening, sleep } from './managed-process';
import { applySchema, createTopics } from './provision';
import { stackSettings, type StackSettings } from './stack-settings';
import { StackError } from './stack-error';

export type ServiceState = 'started' | 'running' | 'external';

export interface UpReport {
  states: Record<LocalService['name'], ServiceState>;
  createdTopics: string[];
  seconds: number;
}

export class LocalStack {
  readonly kafka: KafkaBroker;
  readonly cassandra: CassandraNode;

  constructor(
    readonly settings: StackSettings = stackSettings(),
    private readonly log: (line: string) => void = (line) => console.log(`[stack] ${line}`),
  ) {
    this.kafka = new KafkaBroker(settings);
    this.cassandra = new CassandraNode(settings);
  }

  get services(): LocalService[] {
    return [this.kafka, this.cassandra];
  }

  /** True when both services answer on the configured addresses, whoever started them. */
  async isReady(): Promise<boolean> {
    const answers = await Promise.all(this.services.map((service) => service.answers()));
    return answers.every(Boolean);
  }

  async up(): Promise<UpReport> {
    const began = Date.now();
    let java: Java | undefined;
    const javaOnce = () => (java ??= findJava());
    const states = await Promise.all(this.services.map((service) => this.bringUp(service, javaOnce)));
    const { kafka, cassandra } = this.settings;
    const createdTopics = await this.provision(states[0] === 'external' ? undefined : javaOnce);
    const seconds = (Date.now() - began) / 1000;
    const scram = kafka.scram ? ` (SASL/SCRAM-SHA-512 on ${kafka.scram.broker})` : '';
    const passwords = cassandra.auth ? ', PasswordAuthenticator' : '';
    this.log(`ready in ${seconds.toFixed(1)} s: Kafka ${kafka.brokers.join(',')}${scram}, Cassandra ${cassandra.host}:${cassandra.port} (${cassandra.localDc}${passwords})`);
    return { states: { kafka: states[0], cassandra: states[1] }, createdTopics, seconds };
  }

  /**
   * Topics, schema, and the users the settings ask for; idempotent, so it also readies a stack that
   * answered already. The SCRAM user needs Kafka's admin tool, hence a JDK: none for a stack we did
   * not start. Returns the topics it created.
   */
  async provision(java: (() => Java) | undefined = () => findJava()): Promise<string[]> {
    const { kafka, cassandra } = this.settings;
    const createdTopics = await createTopics(kafka.brokers);
    if (kafka.scram && java) this.kafka.ensureScramUser(java(), this.log);
    await applySchema(this.cassandra.adminClientOptions(), cassandra.auth?.user);
    return createdTopics;
  }

  /** Stops the processes this launcher started; returns their names. Leaves anything else alone. */
  async down(): Promise<string[]> {
    const stopped = await Promise.all(
      this.services.map(async (service) => ((await service.process.stop()) ? service.name : undefined)),
    );
    const names = stopped.filter((name): name is LocalService['name'] => name !== undefined);
    this.log(names.length > 0 ? `stopped ${names.join(' and ')}` : 'nothing of ours was running');
    return names;
  }

  private async bringUp(service: LocalService, java: () => Java): Promise<ServiceState> {
    const { host, port } = service.endpoint;
    if (service.process.isRunning()) {
      await this.waitUntilAnswering(service, Date.now());
      this.log(`${service.name} already running (pid ${service.process.pid()}) and answering on ${host}:${port}`);
      return 'running';
    }
    if (await isListening(host, port)) {
      if (await service.answers()) {
        this.log(`${service.name} answers on ${host}:${port} but was not started by this launcher: using it as it is`);
        return 'external';
      }
      throw new StackError(
        `Port ${port} on ${host} is taken by a process that does not answer as ${service.name}. Stop it, or point ${service.name === 'kafka' ? 'KAFKA_BROKERS' : 'CASSANDRA_CONTACT_POINTS'} at another port.`,
      );
    }
    const began = Date.now();
    this.log(`starting ${service.name} on ${host}:${port}…`);
    await service.launch(java(), this.log);
    await this.waitUntilAnswering(service, began);
    this.log(`${service.name} answering after ${((Date.now() - began) / 1000).toFixed(1)} s (log: ${service.process.logFile})`);
    return 'started';
  }

  private async waitUntilAnswering(service: LocalService, began: number): Promise<void> {
    while (!(await service.answers())) {
      if (!service.process.isRunning()) {
        throw new StackError(
          `${service.name} exited during start. Last lines of ${service.process.logFile}:\n${service.process.logTail()}`,
        );
      }
      if (Date.now() - began > service.startTimeoutMs) {
        await service.process.stop();
        throw new StackError(
          `${service.name} did not answer on ${service.endpoint.host}:${service.endpoint.port} within ${service.startTimeoutMs / 1000} s and was stopped. Last lines of ${service.process.logFile}:\n${service.process.logTail()}`,
        );
      }
      await sleep(1000);
    }
  }
}
