// Creates the pipeline's topics and applies its CQL schema, from the single source of each
// (functions/lib/contract/: topics.json, schema.cql). Idempotent: safe on every start.
import fs from 'node:fs';
import { Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { SCHEMA_FILE } from '../../functions/lib/contract/cql-table';
import topics from '../../functions/lib/contract/topics.json';

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

export async function applySchema(contactPoints: string[], localDataCenter: string): Promise<number> {
  const client = new Client({ contactPoints, localDataCenter });
  await client.connect();
  try {
    const statements = schemaStatements();
    for (const statement of statements) await client.execute(statement);
    return statements.length;
  } finally {
    await client.shutdown();
  }
}
