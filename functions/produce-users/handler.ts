// produceUsers: on each EventBridge tick, fetch USERS_PER_RUN users and publish them to users_created.
// Wiring only; the work is in fetch-and-publish.ts.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { loadProducerConfig } from '../shared/config';
import { publishUsers } from './publish-users';
import { containerEncoder } from './container-encoder';
import { containerProducer } from '../shared/producer';
import { createObservability } from '../shared/observability';
import { fetchAndPublishUsers } from './fetch-and-publish';
import { RandomUserClient } from './random-user-client';
import { invocationTrace } from '../shared/trace-context';
import { withRenewedProducer } from '../shared/renewed-producer';

const config = loadProducerConfig();
const { logger, metrics, meter } = createObservability();
const producer = containerProducer(config.kafka, logger);
const encoder = containerEncoder(config.schemaRegistry);
const usersApi = new RandomUserClient(config.usersApi, {
  observer: {
    retrying: (failure, attempt, delayMs, detail) => logger.warn('retrying the Random User API', { failure, attempt, delayMs, detail }),
    requestCompleted: (latencyMs) => meter.milliseconds('UsersApiLatency', latencyMs),
  },
});

export const handler = middy(() => {
  // The runtime sets the invocation's X-Ray header before each invocation, traced actively or not.
  const trace = invocationTrace(process.env._X_AMZN_TRACE_ID);
  return fetchAndPublishUsers({
    fetchUsers: () => usersApi.fetchUsers(),
    publish: async (users) => {
      const encoded = await encoder.get();
      return withRenewedProducer(producer, (opened) => publishUsers(opened, encoded, users, { traceparent: trace.traceparent }), logger);
    },
    brokers: config.kafka.brokers,
    traceId: trace.traceId,
    logger,
    meter,
  });
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));

/** For tests and local tools that must let the process exit. */
export const closeConnections = () => producer.close();
