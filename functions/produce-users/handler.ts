// produceUsers: on each EventBridge tick, fetch USERS_PER_RUN users and publish them to users_created.
// Wiring only; the work is in lib/pipeline/produce-users.ts.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { loadProducerConfig } from '../lib/config';
import { createKafka, loginRefused } from '../lib/kafka/kafka-client';
import { publishUsers } from '../lib/kafka/publish-users';
import { sharedProducer } from '../lib/kafka/shared-producer';
import { createObservability } from '../lib/observability';
import { produceUsers } from '../lib/pipeline/produce-users';
import { RandomUserClient } from '../lib/users/random-user-client';

const config = loadProducerConfig();
const { logger, metrics, meter } = createObservability();
const producer = sharedProducer(
  () => createKafka(config.kafka, logger),
  (error) => loginRefused(config.kafka, error),
);
const usersApi = new RandomUserClient(config.usersApi, {
  observer: {
    retrying: (failure, attempt, delayMs, detail) => logger.warn('retrying the Random User API', { failure, attempt, delayMs, detail }),
    requestCompleted: (latencyMs) => meter.milliseconds('UsersApiLatency', latencyMs),
  },
});

export const handler = middy(() =>
  produceUsers({
    fetchUsers: () => usersApi.fetchUsers(),
    publish: async (users) => publishUsers(await producer.get(), users),
    brokers: config.kafka.brokers,
    logger,
    meter,
  }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));

/** For tests and local tools that must let the process exit. */
export const closeConnections = () => producer.close();
