// What the local pipeline is doing, read from its sources: per event-source mapping the group's
// committed offset, the end and the lag of each partition; the records on the dead-letter topic;
// the rows of spark_streams.created_users; the record's subject in the schema registry. `npm run status` prints it; the console shows it.
import type { Client } from 'cassandra-driver';
import type { Admin } from 'kafkajs';
import topics from '../../../contract/topics.json';
import type { EventSourceMapping } from '../../mapping/event-source-mapping';
import type { SchemaRegistryClient } from '../../../functions/shared/schema-registry';
import { registryStatus, type RegistryStatus } from '../../schemas/registry-status';

export { describeRegistry, registryStatus } from '../../schemas/registry-status';

export interface PartitionStatus {
  partition: number;
  /** The group's committed offset, or undefined when it has none. */
  committed: number | undefined;
  end: number;
  lag: number;
}

export interface MappingStatus {
  functionKey: string;
  topic: string;
  consumerGroupId: string;
  partitions: PartitionStatus[];
  totalLag: number;
}

export interface PipelineStatus {
  at: number;
  mappings: MappingStatus[];
  deadLetters: number;
  rows: number;
  registry: RegistryStatus;
}

export async function mappingStatus(admin: Admin, mapping: EventSourceMapping): Promise<MappingStatus> {
  const ends = await admin.fetchTopicOffsets(mapping.topic);
  const [committed] = await admin.fetchOffsets({ groupId: mapping.consumerGroupId, topics: [mapping.topic] });
  const partitions = ends
    .sort((a, b) => a.partition - b.partition)
    .map((end) => {
      const at = committed.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      const from = at === '-1' ? Number(end.low) : Number(at);
      return { partition: end.partition, committed: at === '-1' ? undefined : Number(at), end: Number(end.high), lag: Number(end.high) - from };
    });
  return {
    functionKey: mapping.functionKey,
    topic: mapping.topic,
    consumerGroupId: mapping.consumerGroupId,
    partitions,
    totalLag: partitions.reduce((sum, p) => sum + p.lag, 0),
  };
}

export async function deadLetterCount(admin: Admin): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topics.usersDeadLetter.name);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

export async function rowCount(cassandra: Client): Promise<number> {
  const rows = await cassandra.execute('SELECT COUNT(*) AS n FROM spark_streams.created_users', [], { readTimeout: 60_000 });
  return Number(rows.first().n);
}

export async function pipelineStatus(admin: Admin, cassandra: Client, registry: SchemaRegistryClient, mappings: EventSourceMapping[]): Promise<PipelineStatus> {
  return {
    at: Date.now(),
    mappings: await Promise.all(mappings.map((mapping) => mappingStatus(admin, mapping))),
    deadLetters: await deadLetterCount(admin),
    rows: await rowCount(cassandra),
    registry: await registryStatus(registry),
  };
}
