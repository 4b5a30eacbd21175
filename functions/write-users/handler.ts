// writeUsers: for each batch from the Kafka event-source mapping, upsert users into
// spark_streams.created_users. Wiring only; the work is in write-user-batch.ts.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Client } from 'cassandra-driver';
import { connectCassandra, createCassandraClient } from './cassandra-client';
import { upsertUsers } from './upsert-users';
import { loadWriterConfig } from '../shared/config';
import { deadLetter } from './dead-letter';
import { isLambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { containerProducer } from '../shared/producer';
import { LazyConnection } from '../shared/lazy-connection';
import { createObservability } from '../shared/observability';
import { writeUserBatch } from './write-user-batch';

const config = loadWriterConfig();
const { logger, metrics, meter } = createObservability();
const producer = containerProducer(config.kafka, logger);
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
    writeRows: async (users) => upsertUsers(await cassandra.get(), users, config.cassandra.writeConcurrency),
    deadLetter: async (poison) => deadLetter(await producer.get(), poison),
    logger,
    meter,
  });
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));

/** For tests and local tools that must let the process exit. */
export const closeConnections = () => Promise.all([producer.close(), cassandra.close()]);
