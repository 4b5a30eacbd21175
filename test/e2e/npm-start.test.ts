import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { RandomUserStandIn } from '../../infra/random-user-stand-in/random-user-stand-in';
import { recordedUsers } from '../../infra/random-user-stand-in/recorded-users';
import type { RandomUser } from '../../functions/lib/users/random-user';
import { Background, PROJECT_ROOT } from '../support/processes';
import { BROKERS, CONTACT_POINTS, testCassandra } from '../support/services';

// `npm start` alone, with USERS_API_URL at the recorded API: the next schedule tick's users reach
// Cassandra within two minutes of starting, each function gets its own log file, and no line of any
// log (sls offline's output, every function's file) carries a user's personal data.

const LOGS = path.join(PROJECT_ROOT, '.local', 'logs', 'functions');

/** What each log file of the directory gained since `sizes` were taken: the files append across runs. */
function appendedSince(sizes: Map<string, number>): Map<string, string> {
  const files = fs.existsSync(LOGS) ? fs.readdirSync(LOGS) : [];
  return new Map(
    files.map((file) => {
      const text = fs.readFileSync(path.join(LOGS, file));
      return [file, text.subarray(sizes.get(file) ?? 0).toString('utf8')];
    }),
  );
}

function logSizes(): Map<string, number> {
  const files = fs.existsSync(LOGS) ? fs.readdirSync(LOGS) : [];
  return new Map(files.map((file) => [file, fs.statSync(path.join(LOGS, file)).size]));
}

/** The personal fields of a Random User record, as they would appear in a leaked log line. */
function personalData(user: RandomUser & { cell: string }): string[] {
  const { name, location, email, phone, cell } = user;
  return [email, phone, cell, name.first, name.last, String(location.street.name)];
}


const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('npm start', () => {
  let cassandra: Client;
  let standIn: RandomUserStandIn;
  let started: Background | undefined;
  // Users no other end-to-end test writes, so their rows can only come from this run.
  const pool = recordedUsers().slice(5, 10);
  const ids = (pool as RandomUser[]).map((u) => u.login.uuid);

  beforeAll(async () => {
    cassandra = testCassandra();
    await cassandra.execute('DELETE FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true });
    standIn = new RandomUserStandIn(pool);
  });
  afterAll(async () => {
    await started?.stop();
    await standIn.stop();
    await cassandra.shutdown();
  });

  it('gets the scheduled users into spark_streams.created_users within two minutes, logging no personal data', async () => {
    const url = await standIn.start();
    const sizesBefore = logSizes();
    const began = Date.now();
    started = new Background(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['infra/local/start.ts'], {
      KAFKA_BROKERS: BROKERS.join(','),
      CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(','),
      USERS_API_URL: url,
      USERS_PER_RUN: '5',
      OFFLINE_HTTP_PORT: '3121',
      OFFLINE_LAMBDA_PORT: '3122',
    });
    let rows = 0;
    while ((rows < ids.length || !started.output.includes('Successfully invoked scheduled function')) && Date.now() - began < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      rows = (await cassandra.execute('SELECT id FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true })).rowLength;
    }
    expect(rows).toBe(ids.length);
    expect(started.output).toContain('realtime-data-streaming, running locally');
    expect(started.output).toContain('Successfully invoked scheduled function: [produceUsers]');

    expect(await started.stop()).toBe(0);
    expect(started.output).toContain('[kafka-esm] stopped; processed offsets are committed');

    // Only this run's lines: earlier runs appended to the same files.
    const written = appendedSince(sizesBefore);
    expect(written.get('produceUsers.log')).toContain('"message":"produced users"');
    expect(written.get('writeUsers.log')).toMatch(/\[kafka-esm\] writeUsers: users_created-\d offsets/);

    const leaksIn = (text: string) =>
      (pool as Array<RandomUser & { cell: string }>)
        .flatMap(personalData)
        .filter((value) => new RegExp(`(^|[^\\p{L}\\p{N}])${escape(value)}($|[^\\p{L}\\p{N}])`, 'u').test(text));
    expect(leaksIn(JSON.stringify(pool[0]))).toHaveLength(6); // the check sees a whole record logged
    expect(leaksIn([started.output, ...written.values()].join('\n'))).toEqual([]);
  }, 180_000);
});
