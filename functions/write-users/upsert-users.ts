// Upserts users into created_users with a prepared statement, a few rows to a request and bounded
// concurrency (at the client's consistency level, LOCAL_QUORUM by default), and reports each row's
// own outcome, so one failed write never hides or sinks its neighbours' requests.
import { types, type Client, type QueryOptions } from 'cassandra-driver';
import { columnValues, type CreatedUser } from '../shared/created-user';
import { INSERT_CREATED_USER } from './created-users-table';

/** One entry per user, in order: undefined when written, the driver's error when not. */
export type WriteOutcomes = Array<Error | undefined>;

/**
 * Rows a request carries, as an unlogged batch: a request costs the driver and Cassandra about as much
 * to encode, route and parse as the rows in it, so four rows to a request spend about half the CPU a row
 * of one each, and on Keyspaces, whose connections take at most 3,000 queries a second, a connection
 * carries four times the rows. Four, because Cassandra counts about a kilobyte a row of this table
 * against the 5 KiB at which it logs a warning for each batch (`batch_size_warn_threshold`).
 */
export const ROWS_PER_REQUEST = 4;

/**
 * Unlogged: the rows are in different partitions and need no atomicity (each is an upsert of its own
 * values), and Keyspaces meters a logged batch at two writes a row, an unlogged one at one
 * (https://docs.aws.amazon.com/keyspaces/latest/devguide/batchStatements.html). Idempotent: the
 * driver may then retry a request on the next node when its coordinator dies mid-request, instead of
 * failing its rows.
 */
const BATCH_OPTIONS: QueryOptions = { prepare: true, isIdempotent: true, logged: false };

/** One request's upserts: each user's values in column order, a field its version lacks bound unset. */
function upsertBatch(users: CreatedUser[]): Array<{ query: string; params: unknown[] }> {
  return users.map((user) => ({ query: INSERT_CREATED_USER, params: columnValues(user).map((value) => (value === undefined ? types.unset : value)) }));
}

/** Sends one request of upserts. */
function sendUpserts(client: Client, users: CreatedUser[]): Promise<unknown> {
  return client.batch(upsertBatch(users), BATCH_OPTIONS);
}

/**
 * `concurrency` requests in flight, each worker taking the next ROWS_PER_REQUEST users as soon as its
 * last request answered: what the benchmark's raw-driver baseline runs too, so that the two paths
 * differ only by decoding. A request that fails fails each of its rows: an unlogged batch may have
 * applied some of them (the page above says so of Keyspaces' own), and writing those again is an upsert
 * of the same values.
 */
export async function upsertUsers(client: Client, users: CreatedUser[], concurrency: number): Promise<WriteOutcomes> {
  const outcomes: WriteOutcomes = new Array<Error | undefined>(users.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const from = next;
      next = Math.min(users.length, from + ROWS_PER_REQUEST);
      const to = next;
      try {
        await sendUpserts(client, users.slice(from, to));
      } catch (error) {
        outcomes.fill(error instanceof Error ? error : new Error(String(error)), from, to);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.ceil(users.length / ROWS_PER_REQUEST)) }, worker));
  return outcomes;
}
