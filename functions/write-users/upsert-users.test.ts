import { types } from 'cassandra-driver';
import type { Client } from 'cassandra-driver';
import type { CreatedUser } from '../shared/created-user';
import { INSERT_CREATED_USER } from './created-users-table';
import { upsertUsers } from './upsert-users';

// The driver's own concurrent executor over a client that records each statement and answers after a
// tick; test/integration writes the same rows into a real Cassandra.
function recordingClient(refuse: (params: unknown[]) => boolean = () => false) {
  const executed: { query: string; params: unknown[]; options: unknown }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    async execute(query: string, params: unknown[], options: unknown) {
      executed.push({ query, params, options });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      if (refuse(params)) throw Object.assign(new Error('Operation timed out'), { name: 'OperationTimedOutError' });
      return { rows: [] };
    },
  } as unknown as Client;
  return { client, executed, maxInFlight: () => maxInFlight };
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
    expect(c.executed.map((call) => (call.params as unknown[]).at(-1))).toEqual(['FR', null, types.unset]);
  });

  it('upserts each user with its fields in the column order of the statement', async () => {
    const c = recordingClient();
    await expect(upsertUsers(c.client, [user(1)], 4)).resolves.toEqual([undefined]);
    expect(c.executed).toEqual([
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
        // Prepared whatever the client's defaults (the bench's raw client has none), and idempotent,
        // so the driver retries it on another node when its coordinator dies.
        options: { prepare: true, isIdempotent: true },
      },
    ]);
  });

  it('keeps at most the configured number of writes in flight', async () => {
    const c = recordingClient();
    await upsertUsers(
      c.client,
      Array.from({ length: 50 }, (_, n) => user(n)),
      8,
    );
    expect(c.executed).toHaveLength(50);
    expect(c.maxInFlight()).toBe(8);
  });

  it('reports each row’s own outcome: a refused write neither stops nor fails its neighbours', async () => {
    const c = recordingClient((params) => params[1] === 'F2' || params[1] === 'F5');
    const outcomes = await upsertUsers(
      c.client,
      Array.from({ length: 7 }, (_, n) => user(n)),
      2,
    );
    expect(c.executed).toHaveLength(7);
    // One entry per user, the written ones included: toEqual alone would take a shorter array.
    expect(outcomes).toHaveLength(7);
    expect(outcomes.map((outcome) => outcome?.name)).toEqual([
      undefined,
      undefined,
      'OperationTimedOutError',
      undefined,
      undefined,
      'OperationTimedOutError',
      undefined,
    ]);
  });

  it('reports every row when every write fails', async () => {
    const c = recordingClient(() => true);
    const outcomes = await upsertUsers(
      c.client,
      Array.from({ length: 5 }, (_, n) => user(n)),
      2,
    );
    expect(outcomes.every((outcome) => outcome instanceof Error)).toBe(true);
    expect(c.executed).toHaveLength(5);
  });

  it('sends nothing for no users', async () => {
    const c = recordingClient();
    await expect(upsertUsers(c.client, [], 4)).resolves.toEqual([]);
    expect(c.executed).toEqual([]);
  });
});
