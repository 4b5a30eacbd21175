import { RandomUserStandIn, type StandInReply } from '../../infra/local/users-api/random-user-stand-in';
import type { UsersApiConfig } from '../shared/config';
import { UsersApiUnavailableError } from '../shared/errors';
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
    const error = await client(overrides)
      .fetchUsers()
      .catch((e: unknown) => e);
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
    standIn.respondWith([
      { kind: 'status', status: 502 },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 504 },
    ]);
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
    const error = await client({ url: 'http://127.0.0.1:1/api/', maxAttempts: 2 })
      .fetchUsers()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'network', attempts: 2 });
  });

  it('says how to work offline when the host cannot be resolved', async () => {
    // .invalid never resolves (RFC 6761), with or without internet.
    const error = await client({ url: 'http://users-api.invalid/api/', maxAttempts: 1 })
      .fetchUsers()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'network', attempts: 1 });
    expect((error as Error).message).toContain('ENOTFOUND: the host users-api.invalid could not be resolved');
    expect((error as Error).message).toContain('`npm run users-api` serves users locally');
  });
});

// The same client against a scripted `fetch`, where a test needs a clock it controls or a failure a
// real server cannot produce on demand (a DNS error, an abort).
describe('RandomUserClient with a scripted fetch', () => {
  const config: UsersApiConfig = { url: 'https://randomuser.me/api/?nat=fr', usersPerRun: 5, requestTimeoutMs: 2000, maxAttempts: 3, budgetMs: 20_000 };
  type Step = Response | Error | ((init: RequestInit) => Promise<Response>);

  function scripted(steps: Step[], overrides: Partial<UsersApiConfig> = {}, clock = { t: 1_000 }) {
    const calls: { url: string; init: RequestInit }[] = [];
    const completed: [number, number | undefined][] = [];
    const retried: [string, number, number][] = [];
    const fetch = (async (url: URL, init: RequestInit) => {
      calls.push({ url: String(url), init });
      const step = steps.length > 1 ? steps.shift()! : steps[0];
      clock.t += 40; // every request takes 40 ms on this clock
      if (step instanceof Error) throw step;
      if (typeof step === 'function') return step(init);
      return step.clone();
    }) as unknown as typeof globalThis.fetch;
    const client = new RandomUserClient(
      { ...config, ...overrides },
      {
        fetch,
        now: () => clock.t,
        random: () => 0.5,
        sleep: async (ms) => void (clock.t += ms),
        observer: {
          retrying: (failure, attempt, delayMs) => retried.push([failure, attempt, delayMs]),
          requestCompleted: (latencyMs, status) => completed.push([latencyMs, status]),
        },
      },
    );
    return { client, calls, completed, retried, clock };
  }

  const users = (n: number) => new Response(JSON.stringify({ results: Array.from({ length: n }, (_, i) => ({ i })), info: {} }), { status: 200 });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers });
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the fetch to fail');
      },
      (e: unknown) => e as UsersApiUnavailableError,
    );

  it('asks for JSON and reports each request with its latency and status', async () => {
    const s = scripted([json(503, {}), users(5)]);
    await expect(s.client.fetchUsers()).resolves.toEqual({ records: expect.any(Array), requests: 1, retries: 1 });
    expect(new Headers(s.calls[0].init.headers).get('accept')).toBe('application/json');
    expect(s.calls[0].url).toBe('https://randomuser.me/api/?nat=fr&results=5');
    expect(s.completed).toEqual([
      [40, 503],
      [40, 200],
    ]);
    expect(s.retried).toEqual([['http-status', 1, 100]]);
  });

  it('counts one request a page, and no empty page after a full one', async () => {
    const s = scripted([users(5000), users(5000)]);
    await expect(s.client.fetchUsers(10_000)).resolves.toMatchObject({ requests: 2, retries: 0 });
    expect(s.calls).toHaveLength(2);
    const one = scripted([users(5000)]);
    await expect(one.client.fetchUsers(5000)).resolves.toMatchObject({ requests: 1 });
    expect(one.calls).toHaveLength(1);
  });

  it('gives each request no more time than is left of the budget', async () => {
    let signal: AbortSignal | undefined;
    const s = scripted(
      [
        (init) => {
          signal = init.signal ?? undefined;
          return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal?.reason)));
        },
      ],
      { budgetMs: 150, requestTimeoutMs: 5000, maxAttempts: 1 },
    );
    const error = await failureOf(s.client.fetchUsers());
    expect(error.failure).toBe('timeout');
    expect(error.message).toContain('no complete response within 150 ms');
    expect(s.completed).toEqual([[40, undefined]]);
  });

  it('retries a request that was aborted as a timeout, until the attempts run out', async () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    const error = await failureOf(scripted([abort]).client.fetchUsers());
    expect(error).toMatchObject({ failure: 'timeout', attempts: 3 });
    expect(error.message).toContain('no complete response within 2000 ms; no attempts left');
  });

  it.each(['ENOTFOUND', 'EAI_AGAIN'])('says how to work offline on %s, and still retries it', async (code) => {
    const error = await failureOf(scripted([new TypeError('fetch failed', { cause: { code } })]).client.fetchUsers());
    expect(error).toMatchObject({ failure: 'network', attempts: 3 });
    expect(error.message).toContain(`${code}: the host randomuser.me could not be resolved (no internet?`);
  });

  it('names any other network error by its code, or its message when it has none', async () => {
    const refused = await failureOf(scripted([new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })]).client.fetchUsers());
    expect(refused.message).toContain('(network: ECONNREFUSED; no attempts left)');
    const bare = await failureOf(scripted([new TypeError('socket hang up')]).client.fetchUsers());
    expect(bare.message).toContain('(network: socket hang up; no attempts left)');
  });

  it('stops when the next wait would reach the end of the budget, exactly', async () => {
    // 40 ms for the request, then a Retry-After of 2 s: 40 + 2000 reaches a 2,040 ms budget.
    const error = await failureOf(scripted([json(429, {}, { 'retry-after': '2' })], { budgetMs: 2040 }).client.fetchUsers());
    expect(error.attempts).toBe(1);
    expect(error.message).toContain('(http-status: HTTP 429; time budget spent)');
  });

  it("quotes the API's own error text, cut to 120 characters", async () => {
    const long = `Uh oh, something has gone wrong. ${'x'.repeat(200)}`;
    const status = await failureOf(scripted([json(503, { error: long })], { maxAttempts: 1 }).client.fetchUsers());
    expect(status.message).toContain(`(http-status: HTTP 503 "${long.slice(0, 120)}"; no attempts left)`);
    const overloaded = await failureOf(scripted([json(200, { error: long })], { maxAttempts: 1 }).client.fetchUsers());
    expect(overloaded.message).toContain(`(overloaded: "${long.slice(0, 120)}"; no attempts left)`);
  });

  it('tells a body that is not JSON from JSON without results, and retries both', async () => {
    const garbage = await failureOf(scripted([new Response('<html>502</html>', { status: 200 })]).client.fetchUsers());
    expect(garbage).toMatchObject({ failure: 'malformed-body', attempts: 3 });
    expect(garbage.message).toContain('(malformed-body: HTTP 200 body is not JSON; no attempts left)');
    const noResults = await failureOf(scripted([json(200, { info: {} })]).client.fetchUsers());
    expect(noResults.message).toContain('(malformed-body: HTTP 200 body is JSON without a results array; no attempts left)');
  });

  it('does not say "no attempts left" of a failure it would never retry', async () => {
    const error = await failureOf(scripted([json(403, {})]).client.fetchUsers());
    expect(error.message).toContain('(http-status: HTTP 403: the request itself was refused; check USERS_API_URL)');
  });

  it('waits for real between attempts when no sleep is given', async () => {
    const responses = [json(503, {}), users(1)];
    const started: number[] = [];
    const client = new RandomUserClient(config, {
      fetch: (async () => {
        started.push(Date.now());
        return responses.shift()!;
      }) as unknown as typeof globalThis.fetch,
      backoff: { baseMs: 200, capMs: 200 },
      random: () => 0.99,
    });
    await client.fetchUsers();
    // A wait of 198 ms; the timer never fires early, so the second request starts at least that late.
    expect(started[1] - started[0]).toBeGreaterThanOrEqual(190);
  });
});
