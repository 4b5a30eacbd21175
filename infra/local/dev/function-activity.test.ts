import fs from 'node:fs';
import path from 'node:path';
import { FunctionActivity } from './function-activity';

// Recorded from npm start: a failed schedule tick (produceUsers' log, serverless-offline's report).
const failedTick = fs.readFileSync(path.join(__dirname, 'fixtures', 'offline-schedule-failure.log'), 'utf8').split('\n');

describe("the functions' activity, from their log lines", () => {
  const t0 = Date.parse('2026-11-27T07:00:00Z');

  it('counts invocations and durations from the λ lines, and failed invocations from the unhandled reports', () => {
    const activity = new FunctionActivity(['produceUsers', 'writeUsers']);
    activity.observe('(λ: writeUsers) RequestId: a  Duration: 100.50 ms  Billed Duration: 101 ms', t0);
    activity.observe('(λ: writeUsers) RequestId: b  Duration: 300.50 ms  Billed Duration: 301 ms', t0 + 61_000);
    for (const line of failedTick) activity.observe(line, t0 + 62_000);
    activity.observe('(λ: someoneElse) RequestId: c  Duration: 1 ms', t0);
    const summary = activity.summary(t0 + 120_000);
    expect(summary.writeUsers).toMatchObject({ invocations: 2, errors: 0, meanDurationMs: 200.5, maxDurationMs: 300.5 });
    expect(summary.produceUsers).toMatchObject({ invocations: 1, errors: 1, meanDurationMs: undefined });
    const minutes = summary.writeUsers.minutes.filter((m) => m.invocations > 0);
    expect(minutes).toEqual([
      { minute: t0, invocations: 1, errors: 0, meanDurationMs: 100.5 },
      { minute: t0 + 60_000, invocations: 1, errors: 0, meanDurationMs: 300.5 },
    ]);
  });

  it('keeps the last ten minutes only', () => {
    const activity = new FunctionActivity(['writeUsers']);
    activity.observe('(λ: writeUsers) RequestId: a  Duration: 1 ms', t0);
    expect(activity.summary(t0 + 11 * 60_000).writeUsers.invocations).toBe(0);
    expect(activity.summary(t0 + 9 * 60_000).writeUsers.invocations).toBe(1);
  });

  it("lists the schedule's runs, newest first, published or failed with the code", () => {
    const activity = new FunctionActivity(['produceUsers']);
    activity.observe(
      '{"level":"INFO","message":"produced users","event":"users-produced","timestamp":"2026-11-27T07:00:00.000Z","service":"produceUsers","fetched":5,"published":5,"rejected":0}',
      t0,
    );
    for (const line of failedTick) activity.observe(line, t0);
    expect(activity.scheduleRuns()).toEqual([
      { at: Date.parse('2026-11-27T07:04:00.804Z'), outcome: 'failed', published: 0, code: 'USERS_API_UNAVAILABLE' },
      { at: t0, outcome: 'published', published: 5 },
    ]);
  });
});
