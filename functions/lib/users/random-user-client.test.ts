import { RandomUserStandIn, type StandInReply } from '../../../infra/random-user-stand-in/random-user-stand-in';
import type { UsersApiConfig } from '../config';
import { UsersApiUnavailableError } from '../errors';
import { RandomUserClient } from './random-user-client';

// A real HTTP server with recorded responses; only the waits between retries are skipped (recorded).
describe('RandomUserClient against the recorded API', () => {
  let standIn: RandomUserStandIn;
  let url: string;
  let sleeps: number[];

  beforeEach(async () => {
    standIn = new RandomUserStandIn();
    url = await standIn.start();
    sleeps = [];
  });
  afterEach(() => standIn.stop());

  function client(overrides: Partial<UsersApiConfig> = {}) {
    const config: UsersApiConfig = { url, usersPerRun: 5, requestTimeoutMs: 2000, maxAttempts: 4, budgetMs: 20_000, ...overrides };
    return new RandomUserClient(config, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
  }

  async function failureOf(replies: StandInReply[], overrides: Partial<UsersApiConfig> = {}): Promise<UsersApiUnavailableError> {
    standIn.respondWith(replies, replies[replies.length - 1]);
    const error = await client(overrides).fetchUsers().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsersApiUnavailableError);
    return error as UsersApiUnavailableError;
  }

  it('fetches USERS_PER_RUN users in one request', async () => {
    const fetched = await client().fetchUsers();
    expect(fetched.records).toHaveLength(5);
    expect(standIn.requests).toEqual([{ path: '/api/', results: 5, query: { results: '5' } }]);
  });

  it('asks for at most 5,000 users a request', async () => {
    const fetched = await client({ usersPerRun: 12_000 }).fetchUsers();
    expect(fetched.records).toHaveLength(12_000);
    expect(standIn.requests.map((r) => r.results)).toEqual([5000, 5000, 2000]);
  });

  it('keeps the query parameters of USERS_API_URL', async () => {
    await client({ url: `${url}?nat=us,ca&results=99&inc=name,login` }).fetchUsers();
    // USERS_PER_RUN decides `results`; every other parameter goes through as written.
    expect(standIn.requests.map((r) => r.query)).toEqual([{ nat: 'us,ca', results: '5', inc: 'name,login' }]);
  });

  it('retries a 503 and then succeeds', async () => {
    standIn.respondWith([{ kind: 'status', status: 503 }]);
    const fetched = await client().fetchUsers();
    expect(fetched.records).toHaveLength(5);
    expect(fetched.retries).toBe(1);
    expect(standIn.requests).toHaveLength(2);
  });

  it('backs off exponentially with jitter between retries', async () => {
    standIn.respondWith([{ kind: 'status', status: 502 }, { kind: 'status', status: 500 }, { kind: 'status', status: 504 }]);
    await client().fetchUsers();
    // random() = 0.5 of a ceiling of 200, 400, 800 ms
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it("honours a 429's Retry-After", async () => {
    standIn.respondWith([{ kind: 'status', status: 429, retryAfter: '2' }]);
    await client().fetchUsers();
    expect(sleeps).toEqual([2000]);
  });

  it('retries the overload body the API sends with status 200', async () => {
    standIn.respondWith([{ kind: 'overloaded' }]);
    expect((await client().fetchUsers()).records).toHaveLength(5);
  });

  it('fails after the last attempt when the API stays at 503', async () => {
    const error = await failureOf([{ kind: 'status', status: 503 }]);
    expect(error.failure).toBe('http-status');
    expect(error.attempts).toBe(4);
    expect(standIn.requests).toHaveLength(4);
    expect(error.message).toMatch(/failed after 4 attempt\(s\).*HTTP 503.*Nothing was published/);
  });

  it('fails on a persistent 429', async () => {
    expect((await failureOf([{ kind: 'status', status: 429 }])).message).toContain('HTTP 429');
  });

  it('fails with a timeout when the API never answers', async () => {
    const error = await failureOf([{ kind: 'hang' }], { requestTimeoutMs: 150, maxAttempts: 2 });
    expect(error.failure).toBe('timeout');
    expect(error.message).toContain('no complete response within 150 ms');
  });

  it('fails on a body that is not JSON', async () => {
    expect((await failureOf([{ kind: 'garbage' }])).failure).toBe('malformed-body');
  });

  it('fails on a persistent overload body', async () => {
    expect((await failureOf([{ kind: 'overloaded', status: 500 }])).message).toContain('Uh oh');
  });

  it('does not retry a 404: the URL itself is wrong', async () => {
    const error = await failureOf([{ kind: 'status', status: 404 }]);
    expect(error.attempts).toBe(1);
    expect(error.message).toContain('check USERS_API_URL');
  });

  it('stops when a Retry-After would outlast the time budget', async () => {
    const error = await failureOf([{ kind: 'status', status: 429, retryAfter: '120' }], { budgetMs: 5000 });
    expect(error.attempts).toBe(1);
    expect(error.message).toContain('time budget spent');
  });

  it('fails with a network error when nothing listens', async () => {
    await standIn.stop();
    standIn = new RandomUserStandIn();
    await standIn.start();
    const error = await client({ url: 'http://127.0.0.1:1/api/', maxAttempts: 2 }).fetchUsers().catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'network', attempts: 2 });
  });

  it('says how to work offline when the host cannot be resolved', async () => {
    // .invalid never resolves (RFC 6761), with or without internet.
    const error = await client({ url: 'http://users-api.invalid/api/', maxAttempts: 1 }).fetchUsers().catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'network', attempts: 1 });
    expect((error as Error).message).toContain('ENOTFOUND: the host users-api.invalid could not be resolved');
    expect((error as Error).message).toContain('`npm run users-api` serves users locally');
  });
});
