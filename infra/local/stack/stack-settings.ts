// Where the native stack listens and keeps its files. Reads the same settings as the functions
// (KAFKA_BROKERS, CASSANDRA_CONTACT_POINTS, CASSANDRA_LOCAL_DC) with the same parser, so one
// environment drives everything. STACK_NODES=3 makes it a cluster (three brokers, three Cassandra
// nodes); `stack:up` records the size, so every later command finds the cluster without the setting.
import fs from 'node:fs';
import path from 'node:path';
import { hostPortSetting, parseHostPortList } from '../../../functions/shared/host-port-list';
import { StackError } from './stack-error';
import { DEFAULT_SCHEMA_REGISTRY_URL } from '../../../functions/shared/schema-registry';

export interface Endpoint {
  host: string;
  port: number;
}

export interface Credentials {
  username: string;
  password: string;
}

/** One Kafka process: its KRaft node id, the client listeners it opens, its controller listener. */
export interface KafkaNode {
  id: number;
  /** Its pid, log and data files: `kafka` alone, `kafka-1`… in a cluster. */
  name: string;
  listeners: Endpoint[];
  controller: Endpoint;
}

/** One Cassandra process and the address its clients use. */
export interface CassandraNodeSpec extends Endpoint {
  name: string;
}

export interface StackSettings {
  /** 1 (the default), or 3: a cluster, replicated as MSK and Keyspaces replicate. */
  nodes: number;
  /**
   * The first broker address, and every client address (`brokers`). Alone, the one broker listens on
   * each address of KAFKA_BROKERS; in a cluster, each address is one broker.
   */
  kafka: Endpoint & {
    controllerPort: number;
    listeners: Endpoint[];
    brokers: string[];
    processes: KafkaNode[];
    /** The pipeline topics' replication: 1 alone; 3 with min.insync.replicas 2 (MSK's defaults) in a cluster. */
    replicationFactor: number;
    minInsyncReplicas: number;
    /** A SASL/SCRAM-SHA-512 listener (KAFKA_SCRAM_LISTENER) and the one user the stack creates on it. */
    scram?: { listener: Endpoint; broker: string; user: Credentials };
  };
  /**
   * `auth` when CASSANDRA_AUTH=password: the node runs PasswordAuthenticator, the stack administers it
   * as Cassandra's built-in superuser, and creates the CASSANDRA_USERNAME role the functions log in as.
   */
  /**
   * The first node, every node (`processes`), and `seeds`: the cluster's seed nodes (host:storagePort),
   * the first node unless CASSANDRA_SEEDS says otherwise. `replicas`: the keyspace's replication
   * factor, which the stack applies over schema.cql's (one alone, three in a cluster).
   */
  cassandra: Endpoint & {
    storagePort: number;
    seeds: string[];
    localDc: string;
    processes: CassandraNodeSpec[];
    contactPoints: string[];
    replicas: number;
    auth?: { superuser: Credentials; user: Credentials };
  };
  /**
   * The Confluent-compatible schema registry (SCHEMA_REGISTRY_URL, the base a client appends
   * /subjects to): Apicurio Registry, its schemas kept in a Kafka topic of the stack's own brokers.
   */
  schemaRegistry: Endpoint & { url: string; managementPort: number };
  dirs: { root: string; lib: string; run: string; data: string; logs: string };
}

function schemaRegistrySettings(env: NodeJS.ProcessEnv): StackSettings['schemaRegistry'] {
  const url = env.SCHEMA_REGISTRY_URL?.trim() || DEFAULT_SCHEMA_REGISTRY_URL;
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || parsed.protocol !== 'http:') {
    throw new StackError(
      `SCHEMA_REGISTRY_URL="${url}" is not an http:// URL; the local registry is plain HTTP on the loopback (default ${DEFAULT_SCHEMA_REGISTRY_URL}).`,
    );
  }
  const registryPort = parsed.port === '' ? 80 : Number(parsed.port);
  return {
    url: url.replace(/\/+$/, ''),
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: registryPort,
    managementPort: port(env, 'SCHEMA_REGISTRY_MANAGEMENT_PORT', registryPort + 1000),
  };
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
  if (/[,[\]=]/.test(password)) throw new StackError("KAFKA_SCRAM_PASSWORD may not contain , [ ] or =: Kafka's admin tool splits on them.");
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

/**
 * A cluster's default addresses: one loopback address per node (127.0.0.1, .2, .3; Linux answers on
 * all of 127.0.0.0/8), so every broker keeps port 9092 and every Cassandra node the same client port.
 * That port is not 9042, as Keyspaces' is not: a client that reaches peers on the default port fails.
 */
export const CLUSTER_CASSANDRA_PORT = 19042;
const clusterHosts = (nodes: number) => Array.from({ length: nodes }, (_, i) => `127.0.0.${i + 1}`);

/** The file `stack:up` leaves for a cluster, so later commands (npm start, npm test, status) find it. */
export const nodesFile = (root: string) => path.join(root, 'run', 'stack-nodes');

function nodeCount(env: NodeJS.ProcessEnv, root: string): number {
  const raw = env.STACK_NODES?.trim() || (fs.existsSync(nodesFile(root)) ? fs.readFileSync(nodesFile(root), 'utf8').trim() : '1');
  if (raw !== '1' && raw !== '3') {
    throw new StackError(`STACK_NODES="${raw}" is not a stack size this launcher runs: 1 (the default) or 3 (a cluster replicated as MSK and Keyspaces are).`);
  }
  return Number(raw);
}

/** A cluster's list setting: unset, the defaults; set, one address per node. */
function clusterEndpoints(env: NodeJS.ProcessEnv, name: 'KAFKA_BROKERS' | 'CASSANDRA_CONTACT_POINTS', nodes: number, defaultPort: number): Endpoint[] {
  const raw = env[name]?.trim();
  if (!raw) return clusterHosts(nodes).map((host) => ({ host, port: defaultPort }));
  const endpoints = parseEndpoints(name, raw, defaultPort);
  const hosts = new Set(endpoints.map((endpoint) => endpoint.host));
  if (endpoints.length !== nodes || hosts.size !== nodes) {
    throw new StackError(
      `${name}="${raw}" names ${endpoints.length} address(es) on ${hosts.size} host(s); a ${nodes}-node stack (STACK_NODES) runs one node per address and needs ${nodes} on different hosts. Unset it for ${clusterHosts(
        nodes,
      )
        .map((host) => `${host}:${defaultPort}`)
        .join(',')}.`,
    );
  }
  return endpoints;
}

const hostPort = ({ host, port }: Endpoint) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const root = path.resolve(env.LOCAL_STACK_DIR ?? path.join(projectRoot, '.local'));
  const nodes = nodeCount(env, root);
  const cluster = nodes > 1;
  const listeners = cluster
    ? clusterEndpoints(env, 'KAFKA_BROKERS', nodes, 9092)
    : parseEndpoints('KAFKA_BROKERS', hostPortSetting(env, 'KAFKA_BROKERS'), 9092);
  // Alone, one Cassandra node serves the first contact point; the driver finds it from any of them.
  const cassandraNodes = cluster
    ? clusterEndpoints(env, 'CASSANDRA_CONTACT_POINTS', nodes, CLUSTER_CASSANDRA_PORT)
    : parseEndpoints('CASSANDRA_CONTACT_POINTS', hostPortSetting(env, 'CASSANDRA_CONTACT_POINTS'), 9042).slice(0, 1);
  const [cassandra] = cassandraNodes;
  const brokers = listeners.map(hostPort);
  const controllerPort = port(env, 'KAFKA_CONTROLLER_PORT', cluster ? 9093 : Math.max(...listeners.map((l) => l.port)) + 1);
  const scram = scramListener(env);
  if (cluster && scram) throw new StackError('KAFKA_SCRAM_LISTENER runs on the single-node stack only; unset it, or STACK_NODES.');
  const storagePort = port(env, 'CASSANDRA_STORAGE_PORT', 7000);
  return {
    nodes,
    kafka: {
      ...listeners[0],
      listeners,
      brokers,
      controllerPort,
      processes: cluster
        ? listeners.map((listener, i) => ({
            id: i + 1,
            name: `kafka-${i + 1}`,
            listeners: [listener],
            controller: { host: listener.host, port: controllerPort },
          }))
        : [{ id: 1, name: 'kafka', listeners, controller: { host: listeners[0].host, port: controllerPort } }],
      replicationFactor: cluster ? 3 : 1,
      minInsyncReplicas: cluster ? 2 : 1,
      scram,
    },
    cassandra: {
      ...cassandra,
      storagePort,
      seeds: env.CASSANDRA_SEEDS?.trim()
        ? parseEndpoints('CASSANDRA_SEEDS', env.CASSANDRA_SEEDS, storagePort).map(hostPort)
        : [`${cassandra.host}:${storagePort}`],
      localDc: env.CASSANDRA_LOCAL_DC ?? 'datacenter1',
      processes: cassandraNodes.map((node, i) => ({ ...node, name: cluster ? `cassandra-${i + 1}` : 'cassandra' })),
      contactPoints: cassandraNodes.map(hostPort),
      replicas: cluster ? 3 : 1,
      auth: cassandraAuth(env),
    },
    schemaRegistry: schemaRegistrySettings(env),
    dirs: {
      root,
      lib: path.join(root, 'lib'),
      run: path.join(root, 'run'),
      data: path.join(root, 'data'),
      logs: path.join(root, 'logs'),
    },
  };
}

/**
 * How the local tools reach the stack's Cassandra: every node as a contact point, and peers on the
 * stack's client port (the driver would otherwise try the peers it discovers on 9042).
 */
export function cassandraClientOptions(cassandra: StackSettings['cassandra']): {
  contactPoints: string[];
  localDataCenter: string;
  protocolOptions: { port: number };
} {
  return { contactPoints: cassandra.contactPoints, localDataCenter: cassandra.localDc, protocolOptions: { port: cassandra.port } };
}
