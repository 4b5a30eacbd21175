// Creates the pipeline's topics and applies its CQL schema, from the single source of each
// (contract/: topics.json, schema.cql). Idempotent: safe on every start.
import fs from 'node:fs';
import { Client, type ClientOptions } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { SCHEMA_FILE } from '../../../contract/cql-table';
import topics from '../../../contract/topics.json';

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

export async function createTopics(brokers: string[]): Promise<string[]> {
  const admin = new Kafka({ clientId: 'local-stack-provision', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = pipelineTopics().filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic: topic.name, numPartitions: topic.partitions, replicationFactor: 1 })),
      });
    }
    return missing.map((topic) => topic.name);
  } finally {
    await admin.disconnect();
  }
}

export async function applySchema(options: ClientOptions, appUser?: { username: string; password: string }): Promise<number> {
  const client = new Client(options);
  await client.connect();
  try {
    const statements = schemaStatements();
    for (const statement of statements) await client.execute(statement);
    if (appUser) await grantWriter(client, appUser);
    return statements.length;
  } finally {
    await client.shutdown();
  }
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
