// Upserts users into created_users with a prepared statement and bounded concurrency (at the
// client's consistency level, LOCAL_QUORUM by default), and reports each row's own outcome, so one
// failed write never hides or sinks its neighbours.
import { types, type Client } from 'cassandra-driver';
import { columnValues, type CreatedUser } from '../shared/created-user';
import { INSERT_CREATED_USER } from './created-users-table';

/** One entry per user, in order: undefined when written, the driver's error when not. */
export type WriteOutcomes = Array<Error | undefined>;

/**
 * `concurrency` workers, each taking the next user as soon as its last write answered: the loop the
 * benchmark's raw-driver baseline runs, so that the two paths differ only by decoding. (The driver's
 * executeConcurrent does the same while keeping a result object per row, which nothing here reads.)
 */
export async function upsertUsers(client: Client, users: CreatedUser[], concurrency: number): Promise<WriteOutcomes> {
  const outcomes: WriteOutcomes = new Array<Error | undefined>(users.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const index = next++;
      const user = users[index];
      try {
        // Idempotent (an upsert of the same values by primary key): the driver may then retry it on
        // the next node when its coordinator dies mid-request, instead of failing the row.
        await client.execute(
          INSERT_CREATED_USER,
          columnValues(user).map((value) => (value === undefined ? types.unset : value)),
          { prepare: true, isIdempotent: true },
        );
      } catch (error) {
        outcomes[index] = error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));
  return outcomes;
}
