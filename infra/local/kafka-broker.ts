// A single-node Apache Kafka broker in KRaft mode (broker and controller in one JVM), from the jars
// that jvm/kafka/pom.xml pins. Its data lives under .local/data/kafka and survives restarts.
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
import { projectRoot, type StackSettings } from './stack-settings';
import { StackError } from './stack-error';

export class KafkaBroker implements LocalService {
  readonly name = 'kafka' as const;
  readonly endpoint;
  readonly process: ManagedProcess;
  readonly startTimeoutMs = 90_000;
  private readonly dataDir: string;
  private readonly configDir: string;

  constructor(private readonly settings: StackSettings) {
    this.endpoint = settings.kafka;
    this.process = new ManagedProcess('kafka', settings.dirs.run, settings.dirs.logs);
    this.dataDir = path.join(settings.dirs.data, 'kafka');
    this.configDir = path.join(settings.dirs.root, 'conf', 'kafka');
  }

  async answers(timeoutMs = 2000): Promise<boolean> {
    const admin = new Kafka({
      clientId: 'local-stack-probe',
      brokers: this.settings.kafka.brokers,
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async launch(java: Java, log: (line: string) => void): Promise<void> {
    const lib = ensureArtifacts('kafka', this.settings.dirs.lib, log);
    const properties = this.writeConfig();
    const log4j = this.writeLog4j();
    const common = [`-Dlog4j2.configurationFile=${log4j}`, '-cp', classpath(lib)];
    if (!fs.existsSync(path.join(this.dataDir, 'meta.properties'))) {
      // KRaft refuses to start on an unformatted log directory; format it once with a fresh cluster id.
      const format = spawnSync(java.bin, [...common, 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', properties], {
        encoding: 'utf8',
      });
      if (format.status !== 0) {
        throw new StackError(`Formatting the Kafka log directory ${this.dataDir} failed:\n${format.stdout}${format.stderr}`);
      }
    }
    const options = readJvmOptions(path.join(projectRoot, 'infra', 'local', 'jvm', 'kafka', 'jvm-server.options'));
    this.process.start(java.bin, [...options, ...common, 'kafka.Kafka', properties]);
  }

  private writeConfig(): string {
    fs.mkdirSync(this.configDir, { recursive: true });
    fs.mkdirSync(this.dataDir, { recursive: true });
    const file = path.join(this.configDir, 'server.properties');
    fs.writeFileSync(file, serverProperties(this.settings.kafka, this.dataDir));
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
        `appender.file.fileName=${path.join(this.settings.dirs.logs, 'kafka-server.log')}`,
        'appender.file.layout.type=PatternLayout',
        'appender.file.layout.pattern=[%d] %p %m (%c)%n',
        '',
      ].join('\n'),
    );
    return file;
  }
}

/**
 * The broker's configuration: one client listener per address of KAFKA_BROKERS, each advertising
 * itself, so a client given any of them (or all) reaches the same broker.
 */
export function serverProperties(kafka: StackSettings['kafka'], dataDir: string): string {
  const { host, controllerPort, listeners } = kafka;
  const names = listeners.map((_, i) => (i === 0 ? 'PLAINTEXT' : `CLIENT${i + 1}`));
  const address = (i: number) => `${names[i]}://${listeners[i].host.includes(':') ? `[${listeners[i].host}]` : listeners[i].host}:${listeners[i].port}`;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${host}:${controllerPort}`,
    `listeners=${[...listeners.map((_, i) => address(i)), `CONTROLLER://${host}:${controllerPort}`].join(',')}`,
    `advertised.listeners=${listeners.map((_, i) => address(i)).join(',')}`,
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    `listener.security.protocol.map=${[...names, 'CONTROLLER'].map((name) => `${name}:PLAINTEXT`).join(',')}`,
    `log.dirs=${dataDir}`,
    'num.partitions=3',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Consumers join at once instead of waiting 3 s for a group to fill: one node, quick tests.
    'group.initial.rebalance.delay.ms=0',
    // Topics come from functions/lib/contract/topics.json only, so a typo cannot create a stray topic.
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

/** Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. */
function clusterId(): string {
  return Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
}
