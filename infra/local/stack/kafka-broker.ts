// An Apache Kafka broker in KRaft mode (broker and controller in one JVM), from the jars that
// jvm/kafka/pom.xml pins: the stack's one broker, or one of a cluster's three, each of which is also
// a voter of the controller quorum. Its data lives under .local/data/<name> and survives restarts.
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Java } from './java';
import { classpath, ensureArtifacts } from './jvm-artifacts';
import { readJvmOptions } from './jvm-options';
import type { LocalService } from './local-service';
import { ManagedProcess } from './managed-process';
import { projectRoot, type KafkaNode, type StackSettings } from './stack-settings';
import { StackError } from './stack-error';

export class KafkaBroker implements LocalService {
  readonly name = 'kafka' as const;
  readonly endpoint;
  readonly process: ManagedProcess;
  readonly startTimeoutMs = 90_000;
  private readonly dataDir: string;
  private readonly configDir: string;

  constructor(
    private readonly settings: StackSettings,
    readonly node: KafkaNode = settings.kafka.processes[0],
  ) {
    this.endpoint = node.listeners[0];
    this.process = new ManagedProcess(node.name, settings.dirs.run, settings.dirs.logs);
    this.dataDir = path.join(settings.dirs.data, node.name);
    this.configDir = path.join(settings.dirs.root, 'conf', node.name);
  }

  /** This broker, asked on its own addresses: a cluster's peers answering says nothing of it. */
  async answers(timeoutMs = 2000): Promise<boolean> {
    const admin = new Kafka({
      clientId: 'local-stack-probe',
      brokers: this.node.listeners.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`),
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.some((broker) => broker.nodeId === this.node.id);
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async launch(java: Java, log: (line: string) => void): Promise<void> {
    const lib = await ensureArtifacts('kafka', this.settings.dirs.lib, log);
    const properties = this.writeConfig();
    const log4j = this.writeLog4j();
    const common = [`-Dlog4j2.configurationFile=${log4j}`, '-cp', classpath(lib)];
    if (!fs.existsSync(path.join(this.dataDir, 'meta.properties'))) {
      // KRaft refuses to start on an unformatted log directory; format it once, with the cluster id
      // every node of this stack shares.
      const format = spawnSync(java.bin, [...common, 'kafka.tools.StorageTool', 'format', '-t', sharedClusterId(this.settings.dirs.data), '-c', properties], {
        encoding: 'utf8',
      });
      if (format.status !== 0) {
        throw new StackError(`Formatting the Kafka log directory ${this.dataDir} failed:\n${format.stdout}${format.stderr}`);
      }
    }
    const options = readJvmOptions(path.join(projectRoot, 'infra', 'local', 'stack', 'jvm', 'kafka', 'jvm-server.options'));
    this.process.start(java.bin, [...options, ...common, 'kafka.Kafka', properties]);
  }

  /**
   * Creates (or resets the password of) the SCRAM user with Kafka's own admin tool, which calls the
   * Admin API's alterUserScramCredentials; the credential lives in the cluster metadata.
   */
  async ensureScramUser(java: Java, log: (line: string) => void): Promise<void> {
    const scram = this.settings.kafka.scram;
    if (!scram) return;
    const lib = await ensureArtifacts('kafka', this.settings.dirs.lib, log);
    const { username, password } = scram.user;
    const result = spawnSync(
      java.bin,
      [
        `-Dlog4j2.configurationFile=${this.writeLog4j()}`,
        '-cp',
        classpath(lib),
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        this.settings.kafka.brokers[0],
        '--alter',
        '--entity-type',
        'users',
        '--entity-name',
        username,
        '--add-config',
        `SCRAM-SHA-512=[iterations=8192,password=${password}]`,
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) {
      throw new StackError(
        `Creating the SCRAM user "${username}" failed (kafka.admin.ConfigCommand exited ${result.status}):\n${result.stdout}${result.stderr}`,
      );
    }
    log(`SCRAM-SHA-512 user "${username}" ready on ${scram.broker}`);
  }

  private writeConfig(): string {
    fs.mkdirSync(this.configDir, { recursive: true });
    fs.mkdirSync(this.dataDir, { recursive: true });
    const file = path.join(this.configDir, 'server.properties');
    fs.writeFileSync(file, serverProperties(this.settings.kafka, this.dataDir, this.node));
    return file;
  }

  private writeLog4j(): string {
    const file = path.join(this.configDir, 'log4j2.properties');
    fs.writeFileSync(
      file,
      [
        'rootLogger.level=INFO',
        'rootLogger.appenderRef.file.ref=file',
        'appender.file.type=File',
        'appender.file.name=file',
        `appender.file.fileName=${path.join(this.settings.dirs.logs, `${this.node.name}-server.log`)}`,
        'appender.file.layout.type=PatternLayout',
        'appender.file.layout.pattern=[%d] %p %m (%c)%n',
        '',
      ].join('\n'),
    );
    return file;
  }
}

/**
 * A broker's configuration. Alone: one client listener per address of KAFKA_BROKERS, each advertising
 * itself, so a client given any of them (or all) reaches the same broker. In a cluster: its own
 * address, every node a voter, and the internal topics replicated as the pipeline's are.
 */
export function serverProperties(kafka: StackSettings['kafka'], dataDir: string, node: KafkaNode = kafka.processes[0]): string {
  const { scram, replicationFactor, minInsyncReplicas } = kafka;
  const controller = `${node.controller.host}:${node.controller.port}`;
  const clients = node.listeners.map((endpoint, i) => ({ name: i === 0 ? 'PLAINTEXT' : `CLIENT${i + 1}`, endpoint, protocol: 'PLAINTEXT' }));
  // SASL without TLS: the local stack proves the SCRAM handshake and credentials; TLS is AWS's part.
  if (scram) clients.push({ name: 'SCRAM', endpoint: scram.listener, protocol: 'SASL_PLAINTEXT' });
  const address = ({ name, endpoint }: (typeof clients)[number]) =>
    `${name}://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
  return [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${kafka.processes.map((voter) => `${voter.id}@${voter.controller.host}:${voter.controller.port}`).join(',')}`,
    `listeners=${[...clients.map(address), `CONTROLLER://${controller}`].join(',')}`,
    `advertised.listeners=${clients.map(address).join(',')}`,
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    `listener.security.protocol.map=${[...clients, { name: 'CONTROLLER', protocol: 'PLAINTEXT' }].map(({ name, protocol }) => `${name}:${protocol}`).join(',')}`,
    ...(scram
      ? [
          'listener.name.scram.sasl.enabled.mechanisms=SCRAM-SHA-512',
          'listener.name.scram.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
        ]
      : []),
    `log.dirs=${dataDir}`,
    'num.partitions=3',
    `default.replication.factor=${replicationFactor}`,
    `min.insync.replicas=${minInsyncReplicas}`,
    `offsets.topic.replication.factor=${replicationFactor}`,
    'offsets.topic.num.partitions=10',
    `transaction.state.log.replication.factor=${replicationFactor}`,
    `transaction.state.log.min.isr=${minInsyncReplicas}`,
    `share.coordinator.state.topic.replication.factor=${replicationFactor}`,
    `share.coordinator.state.topic.min.isr=${minInsyncReplicas}`,
    // Consumers join at once instead of waiting 3 s for a group to fill: one node, quick tests.
    'group.initial.rebalance.delay.ms=0',
    // Topics come from contract/topics.json only, so a typo cannot create a stray topic.
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

/** The cluster id of this stack's brokers, drawn once and kept beside their data. */
function sharedClusterId(dataDir: string): string {
  const file = path.join(dataDir, 'kafka-cluster-id');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, clusterId());
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. One in 64 starts with
 * "-", which kafka-storage's argument parser reads as an option ("--cluster-id: expected one
 * argument"); Kafka's own Uuid.randomUuid draws again in that case, and so does this.
 */
export function clusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
