import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { RandomUserStandIn } from '../../infra/random-user-stand-in/random-user-stand-in';
import { recordedUsers } from '../../infra/random-user-stand-in/recorded-users';
import type { RandomUser } from '../../functions/lib/users/random-user';
import { Background, PROJECT_ROOT } from '../support/processes';
import { BROKERS, CONTACT_POINTS, testCassandra } from '../support/services';

// `npm start` alone, with USERS_API_URL at the recorded API: the next schedule tick's users reach
// Cassandra within two minutes of starting, and each function gets its own log file.
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

  it('gets the scheduled users into spark_streams.created_users within two minutes', async () => {
    const url = await standIn.start();
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

    const logs = path.join(PROJECT_ROOT, '.local', 'logs', 'functions');
    expect(fs.readFileSync(path.join(logs, 'produceUsers.log'), 'utf8')).toContain('"message":"produced users"');
    expect(fs.readFileSync(path.join(logs, 'writeUsers.log'), 'utf8')).toMatch(/\[kafka-esm\] writeUsers: users_created-\d offsets/);

    expect(await started.stop()).toBe(0);
    expect(started.output).toContain('[kafka-esm] stopped; processed offsets are committed');
  }, 180_000);
});
