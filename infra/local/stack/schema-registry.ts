// The stack's schema registry: Apicurio Registry (Confluent-compatible API at /apis/ccompat/v7), from
// the archive jvm/schema-registry/artifact.json pins. Its storage is a Kafka topic of the stack's own
// brokers (KafkaSQL), as Confluent's registry keeps _schemas: the schemas and their ids survive a
// restart and follow a three-broker cluster, and a record on users_created never names an id the
// registry has forgotten. Every port is bound to the registry's loopback host, the management one too.
import path from 'node:path';
import artifact from './jvm/schema-registry/artifact.json';
import { SchemaRegistryClient } from '../../../functions/shared/schema-registry';
import type { Java } from './java';
import { ensureArchive, type ArchiveArtifact } from './jvm-artifacts';
import type { LocalService } from './local-service';
import { ManagedProcess } from './managed-process';
import type { StackSettings } from './stack-settings';

/** The registry's JVM: 256 MB of heap answers as the default does; client compilation starts it sooner. */
export const REGISTRY_JVM_OPTIONS = ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

export class SchemaRegistry implements LocalService {
  readonly name = 'schema-registry' as const;
  readonly endpoint;
  readonly process: ManagedProcess;
  readonly startTimeoutMs = 120_000;
  readonly client: SchemaRegistryClient;

  constructor(private readonly settings: StackSettings) {
    this.endpoint = { host: settings.schemaRegistry.host, port: settings.schemaRegistry.port };
    this.process = new ManagedProcess('schema-registry', settings.dirs.run, settings.dirs.logs);
    this.client = new SchemaRegistryClient(settings.schemaRegistry.url, { timeoutMs: 2000 });
  }

  answers(): Promise<boolean> {
    return this.client.answers();
  }

  async launch(java: Java, log: (line: string) => void): Promise<void> {
    const dir = await ensureArchive('schema-registry', artifact as ArchiveArtifact, this.settings.dirs.lib, log);
    this.process.start(java.bin, [...REGISTRY_JVM_OPTIONS, ...registryProperties(this.settings), '-jar', path.join(dir, artifact.runner)]);
  }
}

/** Apicurio's settings as system properties: loopback ports, KafkaSQL storage on the stack's brokers. */
export function registryProperties({ schemaRegistry, kafka }: Pick<StackSettings, 'schemaRegistry' | 'kafka'>): string[] {
  return [
    `-Dquarkus.http.host=${schemaRegistry.host}`,
    `-Dquarkus.http.port=${schemaRegistry.port}`,
    `-Dquarkus.management.host=${schemaRegistry.host}`,
    `-Dquarkus.management.port=${schemaRegistry.managementPort}`,
    '-Dapicurio.storage.kind=kafkasql',
    `-Dapicurio.kafkasql.bootstrap.servers=${kafka.brokers.join(',')}`,
    // Its journal topic, created by the registry on first start; a leading underscore as Kafka's own
    // internal topics (and Confluent's _schemas) have, so it stays out of the pipeline's topic lists.
    '-Dapicurio.kafkasql.topic=_registry-journal',
    '-Dapicurio.kafkasql.snapshots.topic=_registry-snapshots',
  ];
}
