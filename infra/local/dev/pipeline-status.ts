// What the local pipeline is doing, read from its sources: per event-source mapping the group's
// committed offset, the end and the lag of each partition; the records on the dead-letter topic;
// the rows of spark_streams.created_users; the record's subject in the schema registry. `npm run status` prints it; the console shows it.
import { errors, types, type Client } from 'cassandra-driver';
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
  /** Undefined when the count took longer than Cassandra or the driver would wait. */
  rows: number | undefined;
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

/**
 * The rows of the table, or undefined when counting them timed out: COUNT(*) reads the whole table,
 * and on a table of many millions of rows it outlasts Cassandra's range-read timeout, which should
 * leave the rest of the status readable rather than fail it. Any other error is thrown.
 */
export async function rowCount(cassandra: Client): Promise<number | undefined> {
  try {
    const rows = await cassandra.execute('SELECT COUNT(*) AS n FROM spark_streams.created_users', [], { readTimeout: 60_000 });
    return Number(rows.first().n);
  } catch (error) {
    if (error instanceof errors.OperationTimedOutError) return undefined;
    if (error instanceof errors.ResponseError && error.code === types.responseErrorCodes.readTimeout) return undefined;
    throw error;
  }
}

/** A row count as status lines print it. */
export function describeRowCount(rows: number | undefined): string {
  return rows === undefined ? 'not counted (COUNT(*) over the whole table timed out)' : `${rows} row(s)`;
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
