// The benchmark's own Kafka, Cassandra and schema registry: on free ports, in a temporary directory, from the jars the
// shared stack already fetched. The figures then never depend on a developer's data, and the rows
// the benchmark writes (hundreds of thousands) vanish with the directory instead of being deleted:
// deleting them left partition tombstones in created_users that slowed every full-table read of it
// (`npm run status`, the console) for gc_grace_seconds, ten days.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalStack } from '../infra/local/stack/local-stack';
import { stackSettings, type StackSettings } from '../infra/local/stack/stack-settings';
import { freePort } from '../test/support/free-port';

export interface PrivateStack {
  settings: StackSettings;
  /** The settings the functions read, pointing at this stack. */
  env: Record<string, string>;
  /** The services' process ids, for CPU accounting. */
  pids: { kafka: number | undefined; cassandra: number | undefined; schemaRegistry: number | undefined };
  stop(): Promise<void>;
}

export async function startPrivateStack(log: (line: string) => void): Promise<PrivateStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stack-'));
  const [broker, controller, cql, storage, registry, registryManagement] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const settings = stackSettings({
    LOCAL_STACK_DIR: dir,
    KAFKA_BROKERS: `127.0.0.1:${broker}`,
    KAFKA_CONTROLLER_PORT: String(controller),
    CASSANDRA_CONTACT_POINTS: `127.0.0.1:${cql}`,
    CASSANDRA_STORAGE_PORT: String(storage),
    SCHEMA_REGISTRY_URL: `http://127.0.0.1:${registry}/apis/ccompat/v7`,
    SCHEMA_REGISTRY_MANAGEMENT_PORT: String(registryManagement),
  });
  const stack = new LocalStack({ ...settings, dirs: { ...settings.dirs, lib: stackSettings({}).dirs.lib } }, (line) => log(`stack: ${line}`));
  const stop = async () => {
    await stack.down();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await stack.up();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    settings,
    env: {
      KAFKA_BROKERS: settings.kafka.brokers.join(','),
      CASSANDRA_CONTACT_POINTS: `${settings.cassandra.host}:${settings.cassandra.port}`,
      CASSANDRA_LOCAL_DC: settings.cassandra.localDc,
      SCHEMA_REGISTRY_URL: settings.schemaRegistry.url,
    },
    pids: { kafka: stack.kafka.process.pid(), cassandra: stack.cassandra.process.pid(), schemaRegistry: stack.schemaRegistry.process.pid() },
    stop,
  };
}
