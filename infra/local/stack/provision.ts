// Creates the pipeline's topics and applies its CQL schema, from the single source of each
// (contract/: topics.json, schema.cql), replicated as the stack's size says. Idempotent: safe on
// every start.
import fs from 'node:fs';
import { Client, type ClientOptions } from 'cassandra-driver';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { readCqlTable, SCHEMA_FILE } from '../../../contract/cql-table';
import topics from '../../../contract/topics.json';
import { createTopicsWithLeaders } from './topics-with-leaders';

export interface TopicSpec {
  name: string;
  partitions: number;
}

export function pipelineTopics(): TopicSpec[] {
  return [topics.usersCreated, topics.usersDeadLetter];
}

export function schemaStatements(file = SCHEMA_FILE): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');
}

/** How the stack replicates: its topics (factor, min.insync.replicas) and its keyspace. */
export interface Replication {
  replicationFactor: number;
  minInsyncReplicas: number;
  keyspace: { localDc: string; replicas: number };
}

/**
 * schema.cql with the keyspace replicated as the stack says. One replica keeps the file's own
 * replication; more use NetworkTopologyStrategy in the local datacenter, as Keyspaces does.
 */
export function replicatedSchema(statements: string[], keyspace: Replication['keyspace']): string[] {
  if (keyspace.replicas === 1) return statements;
  const map = `{'class': 'NetworkTopologyStrategy', '${keyspace.localDc}': '${keyspace.replicas}'}`;
  return statements.map((statement) => {
    if (!/^CREATE KEYSPACE/i.test(statement)) return statement;
    const replicated = statement.replace(/WITH\s+replication\s*=\s*\{[^}]*\}/i, `WITH replication = ${map}`);
    if (replicated === statement)
      throw new Error(`${SCHEMA_FILE}: its CREATE KEYSPACE has no "WITH replication = {…}" for the stack to replicate ${keyspace.replicas} times`);
    return replicated;
  });
}

export async function createTopics(
  brokers: string[],
  replication: Pick<Replication, 'replicationFactor' | 'minInsyncReplicas'> = { replicationFactor: 1, minInsyncReplicas: 1 },
): Promise<string[]> {
  return ensureTopics(brokers, pipelineTopics(), replication);
}

/** The registry's storage: its journal and snapshots, one partition each so they stay in order. */
export const REGISTRY_TOPICS = ['_registry-journal', '_registry-snapshots'] as const;

/**
 * The registry's topics, made before the registry starts: replicated as the pipeline's are (Apicurio
 * would create them with one replica, which a cluster's broker drill would take away), and kept for
 * ever: under Kafka's default seven-day retention a registry restarted a week later would have
 * forgotten every schema, and every record on users_created would name an unknown id. Topics an
 * earlier version of the stack let the registry create are set to be kept for ever too.
 */
export async function ensureRegistryTopics(
  brokers: string[],
  replication: Pick<Replication, 'replicationFactor' | 'minInsyncReplicas'> = { replicationFactor: 1, minInsyncReplicas: 1 },
): Promise<string[]> {
  const topics = REGISTRY_TOPICS.map((name) => ({ name, partitions: 1 }));
  return ensureTopics(brokers, topics, replication, [{ name: 'retention.ms', value: '-1' }]);
}

/**
 * Creates the topics that are missing, replicated as the stack says, with `configEntries`; those that
 * exist get `configEntries` set. Returns the names it created.
 */
async function ensureTopics(
  brokers: string[],
  topics: TopicSpec[],
  replication: Pick<Replication, 'replicationFactor' | 'minInsyncReplicas'>,
  configEntries: Array<{ name: string; value: string }> = [],
): Promise<string[]> {
  const admin = new Kafka({ clientId: 'local-stack-provision', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) {
      await createTopicsWithLeaders(
        admin,
        missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: replication.replicationFactor,
          configEntries: [...configEntries, { name: 'min.insync.replicas', value: String(replication.minInsyncReplicas) }],
        })),
      );
    }
    const present = topics.filter((topic) => existing.has(topic.name));
    if (configEntries.length > 0 && present.length > 0) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: present.map((topic) => ({ type: ConfigResourceTypes.TOPIC, name: topic.name, configEntries })),
      });
    }
    return missing.map((topic) => topic.name);
  } finally {
    await admin.disconnect();
  }
}

export async function applySchema(
  options: ClientOptions,
  appUser?: { username: string; password: string },
  keyspace: Replication['keyspace'] = { localDc: 'datacenter1', replicas: 1 },
): Promise<number> {
  const client = new Client(options);
  await client.connect();
  try {
    const statements = replicatedSchema(schemaStatements(), keyspace);
    for (const statement of statements) await client.execute(statement);
    await addNewColumns(client);
    if (appUser) await grantWriter(client, appUser);
    return statements.length;
  } finally {
    await client.shutdown();
  }
}

/**
 * CREATE TABLE IF NOT EXISTS leaves an existing table as it is: a column schema.cql gained since (a
 * new field of the record's schema) is added here. Additive only; a removed or retyped column is a
 * breaking change the registry refuses before it gets this far.
 */
export async function addNewColumns(client: Client, { keyspace, table, columns } = readCqlTable()): Promise<string[]> {
  const existing = await client.execute('SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?', [keyspace, table], {
    prepare: true,
  });
  const have = new Set(existing.rows.map((row) => row.column_name as string));
  const added = columns.filter((column) => !have.has(column.name));
  for (const column of added) await client.execute(`ALTER TABLE ${keyspace}.${table} ADD ${column.name} ${column.type}`);
  return added.map((column) => column.name);
}

/**
 * The role writeUsers logs in as under PasswordAuthenticator: no superuser, and only what the
 * pipeline does (read and write the pipeline's keyspace). Re-running sets the password again.
 */
async function grantWriter(client: Client, { username, password }: { username: string; password: string }): Promise<void> {
  const keyspace = schemaStatements()
    .map((statement) => /^CREATE KEYSPACE IF NOT EXISTS (\w+)/i.exec(statement)?.[1])
    .find((name) => name !== undefined);
  if (!keyspace) throw new Error(`${SCHEMA_FILE} creates no keyspace to grant on`);
  // CQL takes role passwords as literals only, not bind markers.
  const role = `"${username.replace(/"/g, '""')}"`;
  const literal = `'${password.replace(/'/g, "''")}'`;
  await client.execute(`CREATE ROLE IF NOT EXISTS ${role} WITH LOGIN = true AND PASSWORD = ${literal}`);
  await client.execute(`ALTER ROLE ${role} WITH PASSWORD = ${literal}`);
  for (const permission of ['SELECT', 'MODIFY']) await client.execute(`GRANT ${permission} ON KEYSPACE ${keyspace} TO ${role}`);
}
