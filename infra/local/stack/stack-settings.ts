// Where the native stack listens and keeps its files. Reads the same settings as the functions
// (KAFKA_BROKERS, CASSANDRA_CONTACT_POINTS, CASSANDRA_LOCAL_DC) with the same parser, so one
// environment drives everything.
import path from 'node:path';
import { DEFAULT_CASSANDRA_CONTACT_POINTS, DEFAULT_KAFKA_BROKERS, parseHostPortList } from '../../../functions/shared/host-port-list';
import { StackError } from './stack-error';

export interface Endpoint {
  host: string;
  port: number;
}

export interface Credentials {
  username: string;
  password: string;
}

export interface StackSettings {
  /** The first broker address, and every address of KAFKA_BROKERS: the one broker listens on each. */
  kafka: Endpoint & {
    controllerPort: number;
    listeners: Endpoint[];
    brokers: string[];
    /** A SASL/SCRAM-SHA-512 listener (KAFKA_SCRAM_LISTENER) and the one user the stack creates on it. */
    scram?: { listener: Endpoint; broker: string; user: Credentials };
  };
  /**
   * `auth` when CASSANDRA_AUTH=password: the node runs PasswordAuthenticator, the stack administers it
   * as Cassandra's built-in superuser, and creates the CASSANDRA_USERNAME role the functions log in as.
   */
  /** `seeds`: the cluster's seed nodes (host:storagePort), the node itself unless CASSANDRA_SEEDS says otherwise. */
  cassandra: Endpoint & { storagePort: number; seeds: string[]; localDc: string; auth?: { superuser: Credentials; user: Credentials } };
  dirs: { root: string; lib: string; run: string; data: string; logs: string };
}

export const projectRoot = path.resolve(__dirname, '..', '..', '..');

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

function required(env: NodeJS.ProcessEnv, name: string, because: string): string {
  const value = env[name];
  if (!value) throw new StackError(`${name} is not set, and ${because} needs it. Set it, or unset the setting that asks for it.`);
  return value;
}

function scramListener(env: NodeJS.ProcessEnv): StackSettings['kafka']['scram'] {
  const raw = env.KAFKA_SCRAM_LISTENER?.trim();
  if (!raw) return undefined;
  const [listener, ...more] = parseEndpoints('KAFKA_SCRAM_LISTENER', raw, 9096);
  if (more.length > 0) throw new StackError(`KAFKA_SCRAM_LISTENER="${raw}" names ${more.length + 1} addresses; give one host:port.`);
  const because = `the SASL/SCRAM listener (KAFKA_SCRAM_LISTENER=${raw})`;
  const password = required(env, 'KAFKA_SCRAM_PASSWORD', because);
  // Kafka's admin tool reads the credential as `[iterations=…,password=…]`.
  if (/[,[\]=]/.test(password)) throw new StackError('KAFKA_SCRAM_PASSWORD may not contain , [ ] or =: Kafka\'s admin tool splits on them.');
  return {
    listener,
    broker: `${listener.host}:${listener.port}`,
    user: { username: required(env, 'KAFKA_SCRAM_USERNAME', because), password },
  };
}

function cassandraAuth(env: NodeJS.ProcessEnv): StackSettings['cassandra']['auth'] {
  if (env.CASSANDRA_AUTH !== 'password') return undefined;
  const because = 'CASSANDRA_AUTH=password';
  return {
    // Cassandra creates this superuser on a fresh PasswordAuthenticator node; local stacks only.
    superuser: { username: env.CASSANDRA_SUPERUSER ?? 'cassandra', password: env.CASSANDRA_SUPERUSER_PASSWORD ?? 'cassandra' },
    user: { username: required(env, 'CASSANDRA_USERNAME', because), password: required(env, 'CASSANDRA_PASSWORD', because) },
  };
}

export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const root = path.resolve(env.LOCAL_STACK_DIR ?? path.join(projectRoot, '.local'));
  const listeners = parseEndpoints('KAFKA_BROKERS', env.KAFKA_BROKERS?.trim() || DEFAULT_KAFKA_BROKERS, 9092);
  // One Cassandra node: it serves the first contact point; the driver finds it from any of them.
  const [cassandra] = parseEndpoints('CASSANDRA_CONTACT_POINTS', env.CASSANDRA_CONTACT_POINTS?.trim() || DEFAULT_CASSANDRA_CONTACT_POINTS, 9042);
  const brokers = listeners.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`);
  const storagePort = port(env, 'CASSANDRA_STORAGE_PORT', 7000);
  return {
    kafka: {
      ...listeners[0],
      listeners,
      brokers,
      controllerPort: port(env, 'KAFKA_CONTROLLER_PORT', Math.max(...listeners.map((l) => l.port)) + 1),
      scram: scramListener(env),
    },
    cassandra: {
      ...cassandra,
      storagePort,
      seeds: env.CASSANDRA_SEEDS?.trim() ? parseEndpoints('CASSANDRA_SEEDS', env.CASSANDRA_SEEDS, storagePort).map(({ host, port }) => `${host}:${port}`) : [`${cassandra.host}:${storagePort}`],
      localDc: env.CASSANDRA_LOCAL_DC ?? 'datacenter1',
      auth: cassandraAuth(env),
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
