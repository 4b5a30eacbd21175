// Upserts users into created_users with a prepared statement and bounded concurrency (at the
// client's consistency level, LOCAL_QUORUM by default), and reports
// each row's own outcome, so one failed write never hides or sinks its neighbours.
import { concurrent, type Client } from 'cassandra-driver';
import { CREATED_USER_FIELDS, type CreatedUser } from '../users/created-user';
import { INSERT_CREATED_USER } from './created-users-table';

/** One entry per user, in order: undefined when written, the driver's error when not. */
export type WriteOutcomes = Array<Error | undefined>;

export async function writeUsers(client: Client, users: CreatedUser[], concurrency: number): Promise<WriteOutcomes> {
  const params = users.map((user) => CREATED_USER_FIELDS.map((field) => user[field]));
  const result = await concurrent.executeConcurrent(client, INSERT_CREATED_USER, params, {
    concurrencyLevel: concurrency,
    raiseOnFirstError: false,
    collectResults: true,
    maxErrors: users.length,
  });
  return users.map((_, index) => {
    const item: unknown = result.resultItems[index];
    return item instanceof Error ? item : undefined;
  });
}
