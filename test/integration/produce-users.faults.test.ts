import path from 'node:path';
import { RandomUserStandIn, type StandInReply } from '../../infra/local/users-api/random-user-stand-in';
import type { ProduceUsersSummary } from '../../functions/produce-users/fetch-and-publish';
import { captureOutput, loadFunction } from '../support/lambda';
import { loadEvent } from '../support/load-event';
import { BROKERS, readSince, testKafka, topicEnd } from '../support/services';

const HANDLER = path.resolve(__dirname, '../../functions/produce-users/handler');
const kafka = testKafka();
const tick = loadEvent('produce-users.schedule.json');

describe('produceUsers when things go wrong', () => {
  let standIn: RandomUserStandIn;
  let url: string;

  beforeEach(async () => {
    standIn = new RandomUserStandIn();
    url = await standIn.start();
  });
  afterEach(() => standIn.stop());

  function producer(env: Record<string, string> = {}) {
    return loadFunction<unknown, ProduceUsersSummary>(HANDLER, {
      USERS_API_URL: url,
      USERS_PER_RUN: '5',
      KAFKA_BROKERS: BROKERS.join(','),
      USERS_API_MAX_ATTEMPTS: '3',
      USERS_API_TIMEOUT_MS: '300',
      ...env,
    });
  }

  it('retries a 503, then publishes the run once', async () => {
    standIn.respondWith([{ kind: 'status', status: 503 }]);
    const fn = producer();
    const from = await topicEnd(kafka, 'users_created');
    await expect(fn.invoke(tick)).resolves.toEqual({ fetched: 5, published: 5, rejected: 0 });
    await fn.close();
    expect(standIn.requests).toHaveLength(2);
    // Ask for one more than expected: a duplicate would show up here.
    expect(await readSince(kafka, 'users_created', from, 6, 4000)).toHaveLength(5);
  });

  it.each<[string, StandInReply]>([
    ['a persistent 503', { kind: 'status', status: 503 }],
    ['a persistent 429', { kind: 'status', status: 429, retryAfter: '0' }],
    ['a timeout', { kind: 'hang' }],
    ['a garbage body', { kind: 'garbage' }],
    ['the overload body', { kind: 'overloaded' }],
  ])('fails clearly on %s and publishes nothing', async (_label, reply) => {
    standIn.respondWith([reply], reply);
    const fn = producer();
    const from = await topicEnd(kafka, 'users_created');
    const run = await captureOutput(() => fn.invoke(tick));
    await fn.close();
    // The handler is loaded in its own module registry, as at a cold start: compare by name and code.
    expect(run.error).toMatchObject({ name: 'UsersApiUnavailableError', code: 'USERS_API_UNAVAILABLE' });
    expect((run.error as Error).message).toMatch(/Random User API at http:\/\/127\.0\.0\.1:\d+\/api\/ failed after 3 attempt\(s\)/);
    expect(run.output).toContain('"UsersApiFailures"');
    expect(await readSince(kafka, 'users_created', from, 1, 2000)).toHaveLength(0);
  });

  it('publishes nothing of a run of several requests when a later request fails', async () => {
    // 12,000 users are three requests of 5,000, 5,000 and 2,000; the third fails for good.
    const fail: StandInReply = { kind: 'status', status: 503 };
    standIn.respondWith([{ kind: 'users' }, { kind: 'users' }, fail], fail);
    const fn = producer({ USERS_PER_RUN: '12000' });
    const from = await topicEnd(kafka, 'users_created');
    const run = await captureOutput(() => fn.invoke(tick));
    await fn.close();
    expect(standIn.requests.map((r) => r.results)).toEqual([5000, 5000, 2000, 2000, 2000]);
    expect(run.error).toMatchObject({ name: 'UsersApiUnavailableError' });
    expect(await topicEnd(kafka, 'users_created')).toEqual(from);
  });

  it('fails clearly when the broker is down at the start', async () => {
    const fn = producer({ KAFKA_BROKERS: '127.0.0.1:1' });
    const run = await captureOutput(() => fn.invoke(tick));
    await fn.close();
    expect(run.error).toMatchObject({ name: 'PublishFailedError', code: 'PUBLISH_FAILED' });
    expect((run.error as Error).message).toContain('Could not publish to topic users_created on 127.0.0.1:1');
    expect(run.output).toContain('"PublishFailures"');
  });
});
