// Where the native stack listens and keeps its files. Reads the same settings as the functions
// (KAFKA_BROKERS, CASSANDRA_CONTACT_POINTS, CASSANDRA_LOCAL_DC), so one environment drives everything.
import path from 'node:path';

export interface Endpoint {
  host: string;
  port: number;
}

export interface StackSettings {
  kafka: Endpoint & { controllerPort: number };
  cassandra: Endpoint & { storagePort: number; localDc: string };
  dirs: { root: string; lib: string; run: string; data: string; logs: string };
}

export const projectRoot = path.resolve(__dirname, '..', '..');

export function parseEndpoint(setting: string, value: string, defaultPort: number): Endpoint {
  const first = value.split(',')[0].trim();
  const match = /^([^:\s]+)(?::(\d+))?$/.exec(first);
  if (!match) {
    throw new Error(`${setting}="${value}" is not a host:port list (e.g. 127.0.0.1:${defaultPort}). Fix ${setting} or unset it for the default.`);
  }
  return { host: match[1], port: match[2] ? Number(match[2]) : defaultPort };
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name}="${raw}" is not a TCP port (1-65535).`);
  }
  return value;
}

export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const root = path.resolve(env.LOCAL_STACK_DIR ?? path.join(projectRoot, '.local'));
  const kafka = parseEndpoint('KAFKA_BROKERS', env.KAFKA_BROKERS ?? '127.0.0.1:9092', 9092);
  const cassandra = parseEndpoint('CASSANDRA_CONTACT_POINTS', env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042', 9042);
  return {
    kafka: { ...kafka, controllerPort: port(env, 'KAFKA_CONTROLLER_PORT', kafka.port + 1) },
    cassandra: {
      ...cassandra,
      storagePort: port(env, 'CASSANDRA_STORAGE_PORT', 7000),
      localDc: env.CASSANDRA_LOCAL_DC ?? 'datacenter1',
    },
    dirs: {
      root,
      lib: path.join(root, 'lib'),
      run: path.join(root, 'run'),
      data: path.join(root, 'data'),
      logs: path.join(root, 'logs'),
    },
  };
}
