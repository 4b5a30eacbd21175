// The model's inputs: what bench/results/latest.json measured, the sizes of one record as each stage
// carries it (computed from the benchmark's own users, not guessed), and the deployment's settings.
import fs from 'node:fs';
import path from 'node:path';
import { avroType } from '../../contract/avro';
import { CREATED_USER_SCHEMA } from '../../contract/created-user-schema';
import topics from '../../contract/topics.json';
import { CreatedUserEncoder } from '../../functions/produce-users/created-user-encoder';
import { loadWriterConfig } from '../../functions/shared/config';
import { KEYSPACES_CONNECTIONS_PER_HOST } from '../../functions/write-users/cassandra-client';
import { ROWS_PER_REQUEST } from '../../functions/write-users/upsert-users';
import { toLambdaKafkaRecord } from '../../infra/local/kafka-emulator/build-lambda-kafka-event';
import { benchUsers } from '../bench-users';
import type { BenchResults } from '../results';
import type { MeasuredInputs } from './model';

/** The request handlers behind a Keyspaces endpoint, which the driver finds in system.peers. */
const KEYSPACES_ENDPOINTS = 9;
const TRACEPARENT_BYTES = 55;

const average = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

export function measuredInputs(results: BenchResults, root: string): MeasuredInputs {
  const users = benchUsers(200);
  // As produceUsers publishes it: key, Avro value in the wire format, and the traceparent header.
  const values = new CreatedUserEncoder(1, avroType(CREATED_USER_SCHEMA)).encodeAll(users);
  const recordBytes = average(users.map((user, i) => values[i].length + user.id.length + TRACEPARENT_BYTES));
  // As the mapping delivers it with its registry: the value deserialised to JSON, base64 encoded.
  const eventRecordBytes = average(
    users.map(
      (user) =>
        JSON.stringify(
          toLambdaKafkaRecord({
            topic: topics.usersCreated.name,
            partition: 0,
            offset: '1000000',
            timestamp: String(Date.now()),
            key: Buffer.from(user.id),
            value: Buffer.from(JSON.stringify(user)),
            headers: { traceparent: Buffer.alloc(TRACEPARENT_BYTES) },
          }),
        ).length,
    ),
  );
  const writer = results.writer.batches.find((batch) => batch.records === results.endToEnd.batchSize) ?? results.writer.batches.at(-1)!;
  const memory = /^\s+memorySize:\s*(\d+)/m.exec(fs.readFileSync(path.join(root, 'serverless.yml'), 'utf8'));
  return {
    writerRowsPerSec: writer.handlerPerSec,
    writeConcurrency: loadWriterConfig({}).cassandra.writeConcurrency,
    rowsPerRequest: ROWS_PER_REQUEST,
    publishPerSec: results.producer.publishPathPerSec,
    recordBytes: Math.round(recordBytes),
    eventRecordBytes: Math.round(eventRecordBytes),
    // Column values as the row stores them; Keyspaces adds a few bytes a column, well inside 1 KB.
    rowBytes: Math.round(average(users.map((user) => Buffer.byteLength(Object.values(user).join(''))))),
    batchSize: results.endToEnd.batchSize,
    batchingWindowSeconds: results.endToEnd.maximumBatchingWindowMs / 1000,
    writerMemoryMb: memory ? Number(memory[1]) : 512,
    minimumPartitions: topics.usersCreated.partitions,
    keyspacesConnections: KEYSPACES_CONNECTIONS_PER_HOST * KEYSPACES_ENDPOINTS,
  };
}
