// The native Kafka + Cassandra + schema registry stack: starts what is missing, waits until each really
// answers, then provisions topics, the table and the record's schema. No Docker needed; only a JDK 17+
// and Maven. One broker and one node by default; STACK_NODES=3, three of each (and one registry, whose
// storage is a topic of the three brokers).
import fs from 'node:fs';
import { CassandraNode } from './cassandra-node';
import { findJava, type Java } from './java';
import { KafkaBroker } from './kafka-broker';
import { SchemaRegistry } from './schema-registry';
import { registerContractSchemas, type Registration } from '../../schemas/register';
import type { LocalService } from './local-service';
import { isListening, sleep } from './managed-process';
import { applySchema, createTopics, ensureRegistryTopics } from './provision';
import { nodesFile, stackSettings, type StackSettings } from './stack-settings';
import { StackError } from './stack-error';
import { withHeartbeat } from './heartbeat';

/** The setting that says where each service listens. */
const SETTING_OF: Record<LocalService['name'], string> = {
  kafka: 'KAFKA_BROKERS',
  cassandra: 'CASSANDRA_CONTACT_POINTS',
  'schema-registry': 'SCHEMA_REGISTRY_URL',
};

export type ServiceState = 'started' | 'running' | 'external';

export interface UpReport {
  /** By process name: `kafka` and `cassandra` alone, `kafka-1`… and `cassandra-1`… in a cluster; `schema-registry`. */
  states: Record<string, ServiceState>;
  createdTopics: string[];
  registration: Registration;
  seconds: number;
}

export class LocalStack {
  readonly brokers: KafkaBroker[];
  readonly cassandraNodes: CassandraNode[];
  readonly schemaRegistry: SchemaRegistry;
  private java: Java | undefined;

  constructor(
    readonly settings: StackSettings = stackSettings(),
    private readonly log: (line: string) => void = (line) => console.log(`[stack] ${line}`),
  ) {
    this.brokers = settings.kafka.processes.map((node) => new KafkaBroker(settings, node));
    this.cassandraNodes = settings.cassandra.processes.map((node) => new CassandraNode(settings, node));
    this.schemaRegistry = new SchemaRegistry(settings);
  }

  /** The first broker: the only one, unless the stack is a cluster. */
  get kafka(): KafkaBroker {
    return this.brokers[0];
  }

  /** The first Cassandra node (the seed): the only one, unless the stack is a cluster. */
  get cassandra(): CassandraNode {
    return this.cassandraNodes[0];
  }

  get services(): LocalService[] {
    return [...this.brokers, ...this.cassandraNodes, this.schemaRegistry];
  }

  /** True when every broker and node answers on its address, whoever started them. */
  async isReady(): Promise<boolean> {
    const answers = await Promise.all(this.services.map((service) => service.answers()));
    return answers.every(Boolean);
  }

  async up(): Promise<UpReport> {
    const began = Date.now();
    const { kafka, cassandra, nodes, dirs } = this.settings;
    if (nodes > 1) {
      fs.mkdirSync(dirs.run, { recursive: true });
      fs.writeFileSync(nodesFile(dirs.root), String(nodes));
    }
    // Brokers together (a KRaft quorum needs a majority of its voters to elect a leader); Cassandra
    // nodes one after another, the seed first (a node joins the ring through a seed that answers).
    // The registry keeps its schemas in Kafka: it starts once the brokers answer.
    const [[brokerStates, registryState], nodeStates] = await Promise.all([
      (async () => {
        const started = await Promise.all(this.brokers.map((broker) => this.startService(broker)));
        if (!this.schemaRegistry.process.isRunning()) await ensureRegistryTopics(kafka.brokers, kafka);
        return [started, await this.startService(this.schemaRegistry)] as const;
      })(),
      (async () => {
        const states: ServiceState[] = [];
        for (const node of this.cassandraNodes) states.push(await this.startService(node));
        return states;
      })(),
    ]);
    const { createdTopics, registration } = await this.provision(brokerStates.includes('external') ? undefined : () => this.findJava());
    const seconds = (Date.now() - began) / 1000;
    const scram = kafka.scram ? ` (SASL/SCRAM-SHA-512 on ${kafka.scram.broker})` : '';
    const passwords = cassandra.auth ? ', PasswordAuthenticator' : '';
    const replicated =
      nodes > 1 ? `; topics replicated ${kafka.replicationFactor}× (min.insync.replicas ${kafka.minInsyncReplicas}), keyspace ${cassandra.replicas}×` : '';
    this.log(
      `ready in ${seconds.toFixed(1)} s: Kafka ${kafka.brokers.join(',')}${scram}, Cassandra ${cassandra.contactPoints.join(',')} (${cassandra.localDc}${passwords}), schema registry ${this.settings.schemaRegistry.url} (${registration.subject} ${registration.compatibility}, ids ${registration.ids.join(', ')})${replicated}`,
    );
    const states: Record<string, ServiceState> = {};
    this.services.forEach((service, i) => (states[service.process.name] = [...brokerStates, ...nodeStates, registryState][i]));
    return { states, createdTopics, registration, seconds };
  }

  /** Starts one broker or node unless it runs already (a drill bringing back the one it killed). */
  startService(service: LocalService): Promise<ServiceState> {
    return this.bringUp(service, () => this.findJava());
  }

  private findJava(): Java {
    return (this.java ??= findJava());
  }

  /**
   * Topics, schema, and the users the settings ask for; idempotent, so it also readies a stack that
   * answered already. The SCRAM user needs Kafka's admin tool, hence a JDK: none for a stack we did
   * not start. Returns the topics it created and the record schema's registration.
   */
  async provision(java: (() => Java) | undefined = () => findJava()): Promise<{ createdTopics: string[]; registration: Registration }> {
    const { kafka, cassandra } = this.settings;
    const createdTopics = await createTopics(kafka.brokers, kafka);
    await ensureRegistryTopics(kafka.brokers, kafka);
    if (kafka.scram && java) await this.kafka.ensureScramUser(java(), this.log);
    await applySchema(this.cassandra.adminClientOptions(), cassandra.auth?.user, { localDc: cassandra.localDc, replicas: cassandra.replicas });
    const registration = await registerContractSchemas(this.schemaRegistry.client);
    return { createdTopics, registration };
  }

  /** Stops the processes this launcher started; returns their names. Leaves anything else alone. */
  async down(): Promise<string[]> {
    const stopped = await Promise.all(this.services.map(async (service) => ((await service.process.stop()) ? service.process.name : undefined)));
    const names = stopped.filter((name): name is string => name !== undefined);
    // The next stack:up is the single-node default again, unless STACK_NODES says otherwise.
    fs.rmSync(nodesFile(this.settings.dirs.root), { force: true });
    this.log(names.length > 0 ? `stopped ${names.join(', ').replace(/, ([^,]*)$/, ' and $1')}` : 'nothing of ours was running');
    return names;
  }

  private async bringUp(service: LocalService, java: () => Java): Promise<ServiceState> {
    const { host, port } = service.endpoint;
    const name = service.process.name;
    if (service.process.isRunning()) {
      await this.waitUntilAnswering(service, Date.now());
      this.log(`${name} already running (pid ${service.process.pid()}) and answering on ${host}:${port}`);
      return 'running';
    }
    if (await isListening(host, port)) {
      if (await service.answers()) {
        this.log(`${name} answers on ${host}:${port} but was not started by this launcher: using it as it is`);
        return 'external';
      }
      throw new StackError(
        `Port ${port} on ${host} is taken by a process that does not answer as ${service.name}. Stop it, or point ${SETTING_OF[service.name]} at another port.`,
      );
    }
    const began = Date.now();
    this.log(`starting ${name} on ${host}:${port}…`);
    await service.launch(java(), this.log);
    await withHeartbeat(this.log, `waiting for ${name} to answer on ${host}:${port}`, this.waitUntilAnswering(service, began));
    this.log(`${name} answering after ${((Date.now() - began) / 1000).toFixed(1)} s (log: ${service.process.logFile})`);
    return 'started';
  }

  private async waitUntilAnswering(service: LocalService, began: number): Promise<void> {
    while (!(await service.answers())) {
      if (!service.process.isRunning()) {
        throw new StackError(`${service.process.name} exited during start. Last lines of ${service.process.logFile}:\n${service.process.logTail()}`);
      }
      if (Date.now() - began > service.startTimeoutMs) {
        await service.process.stop();
        throw new StackError(
          `${service.process.name} did not answer on ${service.endpoint.host}:${service.endpoint.port} within ${service.startTimeoutMs / 1000} s and was stopped. Last lines of ${service.process.logFile}:\n${service.process.logTail()}`,
        );
      }
      await sleep(1000);
    }
  }
}
