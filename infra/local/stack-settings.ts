// Where the native stack listens and keeps its files. Reads the same settings as the functions
// (KAFKA_BROKERS, CASSANDRA_CONTACT_POINTS, CASSANDRA_LOCAL_DC) with the same parser, so one
// environment drives everything.
import path from 'node:path';
import { DEFAULT_CASSANDRA_CONTACT_POINTS, DEFAULT_KAFKA_BROKERS, parseHostPortList } from '../../functions/lib/settings/host-port-list';
import { StackError } from './stack-error';

export interface Endpoint {
  host: string;
  port: number;
}

export interface StackSettings {
  /** The first broker address, and every address of KAFKA_BROKERS: the one broker listens on each. */
  kafka: Endpoint & { controllerPort: number; listeners: Endpoint[]; brokers: string[] };
  cassandra: Endpoint & { storagePort: number; localDc: string };
  dirs: { root: string; lib: string; run: string; data: string; logs: string };
}

export const projectRoot = path.resolve(__dirname, '..', '..');

/** Every host:port of a list setting, parsed as the functions parse it. */
export function parseEndpoints(setting: string, value: string, defaultPort: number): Endpoint[] {
  const parsed = parseHostPortList(setting, value, defaultPort);
  if (!parsed.ok) throw new StackError(`${parsed.problem}. Fix ${setting} or unset it for the default.`);
  return parsed.entries.map((entry) => {
    const split = entry.lastIndexOf(':');
    return { host: entry.slice(0, split).replace(/^\[|\]$/g, ''), port: Number(entry.slice(split + 1)) };
  });
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new StackError(`${name}="${raw}" is not a TCP port (1-65535).`);
  }
  return value;
}

export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const root = path.resolve(env.LOCAL_STACK_DIR ?? path.join(projectRoot, '.local'));
  const listeners = parseEndpoints('KAFKA_BROKERS', env.KAFKA_BROKERS?.trim() || DEFAULT_KAFKA_BROKERS, 9092);
  // One Cassandra node: it serves the first contact point; the driver finds it from any of them.
  const [cassandra] = parseEndpoints('CASSANDRA_CONTACT_POINTS', env.CASSANDRA_CONTACT_POINTS?.trim() || DEFAULT_CASSANDRA_CONTACT_POINTS, 9042);
  const brokers = listeners.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`);
  return {
    kafka: {
      ...listeners[0],
      listeners,
      brokers,
      controllerPort: port(env, 'KAFKA_CONTROLLER_PORT', Math.max(...listeners.map((l) => l.port)) + 1),
    },
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
