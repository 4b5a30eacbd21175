import { recordedUsers } from '../../infra/local/users-api/recorded-users';
import { PublishFailedError, UsersApiUnavailableError } from '../shared/errors';
import type { CreatedUser } from '../shared/created-user';
import type { FetchedUsers } from './random-user-client';
import { fetchAndPublishUsers, type FetchAndPublishDeps } from './fetch-and-publish';

// produceUsers' decisions with in-memory ports; test/integration proves the same against the stand-in
// API and a real broker.
function harness(fetched: FetchedUsers | Error, publish?: (users: CreatedUser[]) => Promise<number>) {
  const published: CreatedUser[] = [];
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const metrics: [string, number][] = [];
  const log =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      lines.push({ level, message, fields: Object.assign({}, ...extra) });
  const deps: FetchAndPublishDeps = {
    fetchUsers: async () => {
      if (fetched instanceof Error) throw fetched;
      return fetched;
    },
    publish:
      publish ??
      (async (users) => {
        published.push(...users);
        return users.length;
      }),
    brokers: ['b-1:9092', 'b-2:9092'],
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    meter: { count: (name, value) => metrics.push([name, value]), milliseconds: (name, value) => metrics.push([name, value]) },
  };
  return { deps, published, lines, metrics };
}

const records = recordedUsers();

describe('fetchAndPublishUsers', () => {
  it('names the run’s trace in what it logs, published or failed', async () => {
    const ok = harness({ records, requests: 1, retries: 0 });
    await fetchAndPublishUsers({ ...ok.deps, traceId: '5759e988bd862e3fe1be46a994272793' });
    const failed = harness(new Error('HTTP 503'));
    await expect(fetchAndPublishUsers({ ...failed.deps, traceId: '5759e988bd862e3fe1be46a994272793' })).rejects.toThrow('HTTP 503');
    for (const line of [ok.lines.at(-1)!, failed.lines.at(-1)!]) expect(line.fields.traceId).toBe('5759e988bd862e3fe1be46a994272793');
  });

  it('publishes every valid user in the seed’s shape and says what it did', async () => {
    const h = harness({ records, requests: 1, retries: 2 });
    await expect(fetchAndPublishUsers(h.deps)).resolves.toEqual({ fetched: records.length, published: records.length, rejected: 0 });
    expect(h.published).toHaveLength(records.length);
    expect(Object.keys(h.published[0]).sort()).toEqual(
      [
        'address',
        'dob',
        'email',
        'first_name',
        'gender',
        'id',
        'last_name',
        'nationality',
        'phone',
        'picture',
        'post_code',
        'registered_date',
        'username',
      ].sort(),
    );
    expect(h.metrics).toEqual([
      ['UsersApiRetries', 2],
      ['Fetched', records.length],
      ['Rejected', 0],
      ['Published', records.length],
    ]);
    expect(h.lines).toEqual([
      {
        level: 'info',
        message: 'produced users',
        fields: { event: 'users-produced', fetched: records.length, published: records.length, rejected: 0, requests: 1, retries: 2, rejections: {} },
      },
    ]);
  });

  it('rejects an invalid record by index and reason, counts it, and publishes its neighbours', async () => {
    const broken = structuredClone(records) as Record<string, unknown>[];
    (broken[1].login as Record<string, unknown>).uuid = 'not-a-uuid';
    (broken[3].name as Record<string, unknown>).first = '  ';
    (broken[4].login as Record<string, unknown>).uuid = 'also-not';
    const h = harness({ records: broken, requests: 1, retries: 0 });
    await expect(fetchAndPublishUsers(h.deps)).resolves.toEqual({ fetched: broken.length, published: broken.length - 3, rejected: 3 });
    expect(h.lines.filter((line) => line.level === 'warn')).toEqual([
      { level: 'warn', message: 'rejected a Random User API record', fields: { index: 1, reason: 'login.uuid: invalid_format' } },
      { level: 'warn', message: 'rejected a Random User API record', fields: { index: 3, reason: 'name.first: too_small' } },
      { level: 'warn', message: 'rejected a Random User API record', fields: { index: 4, reason: 'login.uuid: invalid_format' } },
    ]);
    expect(h.lines.at(-1)?.fields.rejections).toEqual({ 'login.uuid: invalid_format': 2, 'name.first: too_small': 1 });
    expect(h.metrics).toContainEqual(['Rejected', 3]);
    expect(h.metrics).toContainEqual(['Published', broken.length - 3]);
  });

  it('publishes nothing when the API fails, and says why by code', async () => {
    const failure = new UsersApiUnavailableError('http-status', 'http://127.0.0.1:1/api/', 4, 'HTTP 503');
    const h = harness(failure);
    await expect(fetchAndPublishUsers(h.deps)).rejects.toBe(failure);
    expect(h.published).toEqual([]);
    expect(h.metrics).toEqual([['UsersApiFailures', 1]]);
    expect(h.lines).toEqual([
      {
        level: 'error',
        message: 'fetching users failed',
        fields: { event: 'produce-failed', code: 'USERS_API_UNAVAILABLE', error: expect.stringContaining('HTTP 503') },
      },
    ]);
  });

  it('calls a failure it cannot name UNEXPECTED', async () => {
    const h = harness(new TypeError('fetch is not a function'));
    await expect(fetchAndPublishUsers(h.deps)).rejects.toThrow('fetch is not a function');
    expect(h.lines[0].fields).toEqual({ event: 'produce-failed', code: 'UNEXPECTED', error: 'TypeError: fetch is not a function' });
  });

  it('turns a failed publish into PublishFailedError naming the topic and brokers', async () => {
    const h = harness({ records, requests: 1, retries: 0 }, async () => Promise.reject(new Error('Connection timeout')));
    const error = await fetchAndPublishUsers(h.deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PublishFailedError);
    expect((error as Error).message).toContain('Could not publish to topic users_created on b-1:9092,b-2:9092: Error: Connection timeout');
    expect(h.metrics).toContainEqual(['PublishFailures', 1]);
    expect(h.metrics.map(([name]) => name)).not.toContain('Published');
    expect(h.lines.at(-1)).toEqual({
      level: 'error',
      message: 'publishing users failed',
      fields: { event: 'produce-failed', code: 'PUBLISH_FAILED', users: records.length, error: 'Error: Connection timeout' },
    });
  });

  it('reports what the publisher says it published', async () => {
    const h = harness({ records, requests: 3, retries: 0 }, async () => 4);
    await expect(fetchAndPublishUsers(h.deps)).resolves.toMatchObject({ published: 4 });
    expect(h.metrics).toContainEqual(['Published', 4]);
    expect(h.lines.at(-1)?.fields).toMatchObject({ requests: 3 });
  });
});
