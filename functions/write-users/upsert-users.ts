// Upserts users into created_users with a prepared statement, a few rows to a request and bounded
// concurrency (at the client's consistency level, LOCAL_QUORUM by default), and reports each row's
// own outcome, so one failed write never hides or sinks its neighbours' requests.
import { types, type Client, type QueryOptions } from 'cassandra-driver';
import { columnValues, CREATED_USER_FIELDS, type CreatedUser } from '../shared/created-user';
import { INSERT_CREATED_USER } from './created-users-table';

/** One entry per user, in order: undefined when written, the driver's error when not. */
export type WriteOutcomes = Array<Error | undefined>;

/**
 * Rows a request carries at most, as an unlogged batch: a request costs the driver and Cassandra about
 * as much to encode, route and parse as the rows in it, so four rows to a request spend about half the
 * CPU a row of one each, and on Keyspaces, whose connections take at most 3,000 queries a second, a
 * connection carries four times the rows.
 */
export const ROWS_PER_REQUEST = 4;

/**
 * The bytes of values a request carries at most. Cassandra refuses a batch it counts over 50 KiB
 * (`batch_size_fail_threshold`: "Batch too large", which would fail every row in it on every retry)
 * and logs a warning for each over 5 KiB (`batch_size_warn_threshold`); it counts a row of this table
 * as its values' bytes and about 250 more, so four rows' values within 4 KiB stay under both. It
 * checks no batch of a single row: a larger row goes alone, and neither fails nor holds back its
 * neighbours.
 */
export const REQUEST_VALUE_BYTES = 4 * 1024;

/** The row's values' UTF-8 bytes at most: three a UTF-16 unit, which needs no encoding to count. */
function valueBytesAtMost(user: CreatedUser): number {
  let units = 0;
  for (const field of CREATED_USER_FIELDS) {
    const value = (user as Record<string, unknown>)[field];
    if (typeof value === 'string') units += value.length;
  }
  return 3 * units;
}

/**
 * Where the request that starts at `from` ends: up to ROWS_PER_REQUEST users whose values fit in
 * REQUEST_VALUE_BYTES, and always at least the first.
 */
export function requestEnd(users: readonly CreatedUser[], from: number): number {
  let bytes = valueBytesAtMost(users[from]!);
  let to = from + 1;
  while (to < users.length && to - from < ROWS_PER_REQUEST) {
    bytes += valueBytesAtMost(users[to]!);
    if (bytes > REQUEST_VALUE_BYTES) break;
    to += 1;
  }
  return to;
}

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
 * `concurrency` requests in flight, each worker taking the next request's users (requestEnd) as soon
 * as its last request answered: what the benchmark's raw-driver baseline runs too, so that the two paths
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
      const to = requestEnd(users, from);
      next = to;
      try {
        await sendUpserts(client, users.slice(from, to));
      } catch (error) {
        outcomes.fill(error instanceof Error ? error : new Error(String(error)), from, to);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));
  return outcomes;
}
