import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FunctionLogRouter } from './function-log-router';

// Recorded from `npm start` with the default USERS_API_URL and no internet: produceUsers logs the
// failure, then serverless-offline repeats it (stack trace, and "Error: Error: …").
const recorded = fs.readFileSync(path.join(__dirname, 'fixtures', 'offline-schedule-failure.log'), 'utf8');

function run(output: string, chunkSize = 97) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-router-'));
  const echoed: string[] = [];
  const router = new FunctionLogRouter(dir, ['produceUsers', 'writeUsers'], (chunk) => echoed.push(chunk));
  // In uneven chunks, as a pipe delivers them.
  for (let i = 0; i < output.length; i += chunkSize) router.write(output.slice(i, i + chunkSize));
  router.close();
  const read = (name: string) => (fs.existsSync(router.fileOf(name)) ? fs.readFileSync(router.fileOf(name), 'utf8') : '');
  return new Promise<{ echoed: string; produceUsers: string; offline: string }>((resolve) =>
    setTimeout(() => resolve({ echoed: echoed.join(''), produceUsers: read('produceUsers'), offline: read('offline') }), 50),
  );
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('the function log router', () => {
  it("says a failure the function logged once, in the function's file, dropping serverless-offline's repeat", async () => {
    const { echoed, produceUsers, offline } = await run(recorded);
    expect(count(echoed, 'failed after 4 attempt(s)')).toBe(1);
    expect(count(produceUsers, 'failed after 4 attempt(s)')).toBe(1);
    expect(produceUsers).toContain('"message":"fetching users failed"');
    expect(produceUsers).toContain('"UsersApiFailures"');
    expect(echoed).not.toContain('Unhandled exception');
    expect(echoed).not.toContain('Error: Error:');
    expect(offline).toBe('');
  });

  it("keeps serverless-offline's stack trace for an error the function did not name, in the function's file", async () => {
    const unexpected = recorded.replace('"code":"USERS_API_UNAVAILABLE"', '"code":"UNEXPECTED"');
    const { produceUsers, offline } = await run(unexpected);
    expect(produceUsers).toContain("× Unhandled exception in handler 'produceUsers'.");
    expect(produceUsers).toContain('at async produceUsers (');
    expect(produceUsers).toContain('× Failed to execute scheduled function: [produceUsers]');
    expect(offline).toBe('');
  });

  it('keeps the report when the function logged a different error', async () => {
    const other = recorded.replace(/"error":"UsersApiUnavailableError:[^"]*"/, '"error":"UsersApiUnavailableError: something else"');
    const { produceUsers } = await run(other, 13);
    expect(produceUsers).toContain('× UsersApiUnavailableError: The Random User API');
    expect(produceUsers).toContain('× Failed to execute scheduled function: [produceUsers]');
  });

  it("routes lines by the function's JSON, its λ line and the emulator's tag; the rest to offline.log", async () => {
    const { produceUsers, offline } = await run(
      ['(λ: produceUsers) RequestId: 1  Duration: 3 ms', '[kafka-esm] writeUsers: offsets 1-2 ok', 'Offline [http for lambda] listening', ''].join('\n'),
    );
    expect(produceUsers).toBe('(λ: produceUsers) RequestId: 1  Duration: 3 ms\n');
    expect(offline).toBe('Offline [http for lambda] listening\n');
  });
});
