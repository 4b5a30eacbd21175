// produceUsers' work, free of Lambda: fetch a run's users, keep the valid ones in the seed's shape,
// publish them, and say what happened. A source failure, or a registry that cannot give the schema's
// id, publishes nothing.
import { describeError, PipelineError, PublishFailedError } from '../shared/errors';
import { SchemaRegistryError } from '../shared/schema-registry';
import { USERS_CREATED_TOPIC } from '../../contract/topic-names';
import { LOG_EVENTS, type Log, type Meter } from '../shared/observability';
import type { CreatedUser } from '../shared/created-user';
import { checkRandomUser } from './random-user';
import type { FetchedUsers } from './random-user-client';
import { toCreatedUser } from './to-created-user';

export interface FetchAndPublishDeps {
  fetchUsers(): Promise<FetchedUsers>;
  publish(users: CreatedUser[]): Promise<number>;
  brokers: string[];
  /** The run's trace id, in every line it logs: rows and dead letters carry it too. */
  traceId?: string;
  logger: Log;
  meter: Meter;
}

export interface ProduceUsersSummary {
  fetched: number;
  published: number;
  rejected: number;
}

export async function fetchAndPublishUsers(deps: FetchAndPublishDeps): Promise<ProduceUsersSummary> {
  const { logger, meter } = deps;
  let fetched: FetchedUsers;
  try {
    fetched = await deps.fetchUsers();
  } catch (error) {
    meter.count('UsersApiFailures', 1);
    logger.error('fetching users failed', {
      event: LOG_EVENTS.produceFailed,
      traceId: deps.traceId,
      code: error instanceof PipelineError ? error.code : 'UNEXPECTED',
      error: describeError(error),
    });
    throw error;
  }
  meter.count('UsersApiRetries', fetched.retries);

  const users: CreatedUser[] = [];
  const rejections: Record<string, number> = {};
  fetched.records.forEach((record, index) => {
    const check = checkRandomUser(record);
    if (check.ok) {
      users.push(toCreatedUser(check.user));
      return;
    }
    rejections[check.reason] = (rejections[check.reason] ?? 0) + 1;
    logger.warn('rejected a Random User API record', { index, reason: check.reason });
  });
  const rejected = fetched.records.length - users.length;
  meter.count('Fetched', fetched.records.length);
  meter.count('Rejected', rejected);

  let published: number;
  try {
    published = await deps.publish(users);
  } catch (error) {
    meter.count('PublishFailures', 1);
    // A registry failure says what to do about the registry; anything else is Kafka's.
    const failure = error instanceof SchemaRegistryError ? error : new PublishFailedError(USERS_CREATED_TOPIC, deps.brokers, error);
    logger.error('publishing users failed', {
      event: LOG_EVENTS.produceFailed,
      traceId: deps.traceId,
      code: failure.code,
      users: users.length,
      error: describeError(error),
    });
    throw failure;
  }
  meter.count('Published', published);

  const summary = { fetched: fetched.records.length, published, rejected };
  logger.info('produced users', {
    event: LOG_EVENTS.usersProduced,
    traceId: deps.traceId,
    ...summary,
    requests: fetched.requests,
    retries: fetched.retries,
    rejections,
  });
  return summary;
}
