// writeUsers: for each batch from the Kafka event-source mapping, upsert users into
// spark_streams.created_users. Wiring only; the work is in lib/pipeline/write-user-batch.ts.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Client } from 'cassandra-driver';
import { connectCassandra, createCassandraClient } from '../lib/cassandra/cassandra-client';
import { writeUsers } from '../lib/cassandra/write-users';
import { loadWriterConfig } from '../lib/config';
import { deadLetter } from '../lib/kafka/dead-letter';
import { createKafka, loginRefused } from '../lib/kafka/kafka-client';
import { isLambdaKafkaEvent } from '../lib/kafka/lambda-kafka-event';
import { sharedProducer } from '../lib/kafka/shared-producer';
import { LazyConnection } from '../lib/lazy-connection';
import { createObservability } from '../lib/observability';
import { writeUserBatch } from '../lib/pipeline/write-user-batch';

const config = loadWriterConfig();
const { logger, metrics, meter } = createObservability();
const producer = sharedProducer(
  () => createKafka(config.kafka, logger),
  (error) => loginRefused(config.kafka, error),
);
const cassandra = new LazyConnection<Client>(
  async () => {
    return connectCassandra(await createCassandraClient(config.cassandra), config.cassandra);
  },
  (client) => client.shutdown(),
);

export const handler = middy((event: unknown) => {
  if (!isLambdaKafkaEvent(event)) {
    throw new TypeError(
      'writeUsers expects a Kafka event-source mapping event (eventSource "aws:kafka" or "SelfManagedKafka" with records); see events/ for samples.',
    );
  }
  return writeUserBatch(event, {
    writeRows: async (users) =>
      writeUsers(await cassandra.get(), users, config.cassandra.writeConcurrency),
    deadLetter: async (poison) => deadLetter(await producer.get(), poison),
    logger,
    meter,
  });
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));

/** For tests and local tools that must let the process exit. */
export const closeConnections = () => Promise.all([producer.close(), cassandra.close()]);
