import { types } from 'cassandra-driver';
import type { Client } from 'cassandra-driver';
import type { CreatedUser } from '../shared/created-user';
import { INSERT_CREATED_USER } from './created-users-table';
import { REQUEST_VALUE_BYTES, requestEnd, ROWS_PER_REQUEST, upsertUsers } from './upsert-users';

// A client that records each request (an unlogged batch of upserts) and answers it after a tick;
// test/integration writes the same rows into a real Cassandra.
interface Upsert {
  query: string;
  params: unknown[];
}
function recordingClient(refuse: (params: unknown[]) => boolean = () => false) {
  const requests: { queries: Upsert[]; options: unknown }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    async batch(queries: Upsert[], options: unknown) {
      requests.push({ queries, options });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      if (queries.some((upsert) => refuse(upsert.params))) throw Object.assign(new Error('Operation timed out'), { name: 'OperationTimedOutError' });
      return { rows: [] };
    },
  } as unknown as Client;
  const executed = () => requests.flatMap((request) => request.queries);
  return { client, requests, executed, maxInFlight: () => maxInFlight };
}

function user(n: number): CreatedUser {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    first_name: `F${n}`,
    last_name: `L${n}`,
    gender: 'female',
    address: `${n} Street, City, State, Country`,
    post_code: String(10_000 + n),
    email: `u${n}@example.com`,
    username: `user${n}`,
    dob: '1990-01-01T00:00:00.000Z',
    registered_date: '2020-01-01T00:00:00.000Z',
    phone: '000',
    picture: `https://randomuser.me/api/portraits/med/women/${n}.jpg`,
  };
}

describe('writing users to created_users', () => {
  it('binds a version 2 field as given, a null as null (the column cleared), and only an absent one unset', async () => {
    const c = recordingClient();
    await upsertUsers(c.client, [{ ...user(1), nationality: 'FR' }, { ...user(2), nationality: null }, user(3)], 1);
    expect(c.executed().map((upsert) => upsert.params.at(-1))).toEqual(['FR', null, types.unset]);
  });

  it('upserts each user with its fields in the column order of the statement, in an unlogged batch', async () => {
    const c = recordingClient();
    await expect(upsertUsers(c.client, [user(1)], 4)).resolves.toEqual([undefined]);
    expect(c.requests).toEqual([
      {
        queries: [
          {
            query: INSERT_CREATED_USER,
            params: [
              '00000000-0000-4000-8000-000000000001',
              'F1',
              'L1',
              'female',
              '1 Street, City, State, Country',
              '10001',
              'u1@example.com',
              'user1',
              '1990-01-01T00:00:00.000Z',
              '2020-01-01T00:00:00.000Z',
              '000',
              'https://randomuser.me/api/portraits/med/women/1.jpg',
              // A version 1 record has no nationality: bound unset, the column keeps what it has.
              types.unset,
            ],
          },
        ],
        // Prepared whatever the client's defaults (the bench's raw client has none), idempotent, so
        // the driver retries it on another node when its coordinator dies, and unlogged: no batch log.
        options: { prepare: true, isIdempotent: true, logged: false },
      },
    ]);
  });

  it('sends the users in order, ROWS_PER_REQUEST to a request and the rest in the last', async () => {
    const c = recordingClient();
    const users = Array.from({ length: 2 * ROWS_PER_REQUEST + 1 }, (_, n) => user(n));
    await upsertUsers(c.client, users, 1);
    expect(c.requests.map((request) => request.queries.length)).toEqual([ROWS_PER_REQUEST, ROWS_PER_REQUEST, 1]);
    expect(c.executed().map((upsert) => upsert.params[1])).toEqual(users.map((u) => u.first_name));
  });

  it('sends a row whose values could pass REQUEST_VALUE_BYTES alone, its neighbours still grouped in order', async () => {
    const c = recordingClient();
    const users = Array.from({ length: 8 }, (_, n) => user(n));
    users[2] = { ...users[2]!, address: 'x'.repeat(REQUEST_VALUE_BYTES) };
    await upsertUsers(c.client, users, 1);
    expect(c.requests.map((request) => request.queries.length)).toEqual([2, 1, 4, 1]);
    expect(c.executed().map((upsert) => upsert.params[1])).toEqual(users.map((u) => u.first_name));
  });

  it('ends a request before the row that would take its values past REQUEST_VALUE_BYTES, counting three bytes a character', () => {
    // Each row's text, address included, made exactly `units` UTF-16 units long.
    const sized = (n: number, units: number) => {
      const base = user(n);
      const others = Object.entries(base).reduce((sum, [field, value]) => sum + (field === 'address' ? 0 : String(value).length), 0);
      return { ...base, address: 'é'.repeat(units - others) };
    };
    const third = Math.floor(REQUEST_VALUE_BYTES / 3);
    // Rows of a third of the budget each: three fit, a fourth does not.
    const rows = Array.from({ length: 4 }, (_, n) => sized(n, Math.floor(third / 3)));
    expect(requestEnd(rows, 0)).toBe(3);
    // Up to the budget fits; one unit (three bytes) more does not.
    expect(requestEnd([sized(0, third - 200), sized(1, 200)], 0)).toBe(2);
    expect(requestEnd([sized(0, third - 200), sized(1, 201)], 0)).toBe(1);
    // A request never starts empty, however large its first row.
    expect(requestEnd([sized(0, 10 * third), user(1)], 0)).toBe(1);
    expect(requestEnd([user(0), user(1)], 1)).toBe(2);
  });

  it('keeps at most the configured number of requests in flight', async () => {
    const c = recordingClient();
    await upsertUsers(
      c.client,
      Array.from({ length: 50 }, (_, n) => user(n)),
      8,
    );
    expect(c.executed()).toHaveLength(50);
    expect(c.requests).toHaveLength(Math.ceil(50 / ROWS_PER_REQUEST));
    expect(c.maxInFlight()).toBe(8);
  });

  it('reports each row’s own outcome: a refused request fails its own rows, neither stopping nor failing the others', async () => {
    const c = recordingClient((params) => params[1] === 'F5');
    const users = Array.from({ length: 3 * ROWS_PER_REQUEST }, (_, n) => user(n));
    const outcomes = await upsertUsers(c.client, users, 2);
    expect(c.executed()).toHaveLength(users.length);
    // One entry per user, the written ones included: toEqual alone would take a shorter array.
    expect(outcomes).toHaveLength(users.length);
    const refusedRequest = Math.floor(5 / ROWS_PER_REQUEST);
    expect(outcomes.map((outcome) => outcome?.name)).toEqual(
      users.map((_, n) => (Math.floor(n / ROWS_PER_REQUEST) === refusedRequest ? 'OperationTimedOutError' : undefined)),
    );
  });

  it('reports every row when every request fails', async () => {
    const c = recordingClient(() => true);
    const outcomes = await upsertUsers(
      c.client,
      Array.from({ length: 5 }, (_, n) => user(n)),
      2,
    );
    expect(outcomes).toHaveLength(5);
    expect(outcomes.every((outcome) => outcome instanceof Error)).toBe(true);
    expect(c.executed()).toHaveLength(5);
  });

  it('sends nothing for no users', async () => {
    const c = recordingClient();
    await expect(upsertUsers(c.client, [], 4)).resolves.toEqual([]);
    expect(c.requests).toEqual([]);
  });
});
