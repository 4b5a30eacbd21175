// writeUsers: for each batch from the Kafka event-source mapping, upsert users into
// spark_streams.created_users. Wiring only; the work is in write-user-batch.ts.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Client } from 'cassandra-driver';
import { connectCassandra, createCassandraClient, credentialsSource, refusedLogin } from './cassandra-client';
import { upsertUsers } from './upsert-users';
import { loadWriterConfig } from '../shared/config';
import { deadLetter } from './dead-letter';
import { isLambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { containerProducer } from '../shared/producer';
import { LazyConnection } from '../shared/lazy-connection';
import { isLoginRefusal, logRenewal, withRenewedLogin } from '../shared/renewed-login';
import { withRenewedProducer } from '../shared/renewed-producer';
import { LoginRefusedError } from '../shared/errors';
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
    writeRows: (users) =>
      withRenewedLogin(
        cassandra,
        async (client) => {
          const outcomes = await upsertUsers(client, users, config.cassandra.writeConcurrency);
          // Every row failed, and on a refused login: the pool reconnected with a password that has since rotated.
          const everyRowFailed = outcomes.length > 0 && outcomes.every((outcome) => outcome !== undefined);
          const refusal = everyRowFailed ? (isLoginRefusal(outcomes[0]) ? outcomes[0] : refusedLogin(client)) : undefined;
          if (refusal) throw new LoginRefusedError('Cassandra', config.cassandra.contactPoints, credentialsSource(config.cassandra), refusal);
          return outcomes;
        },
        logRenewal(logger, 'Cassandra'),
      ),
    deadLetter: (poison) => withRenewedProducer(producer, (opened) => deadLetter(opened, poison), logger),
    logger,
    meter,
  });
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));

/** For tests and local tools that must let the process exit. */
export const closeConnections = () => Promise.all([producer.close(), cassandra.close()]);
