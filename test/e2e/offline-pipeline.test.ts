import type { Client } from 'cassandra-driver';
import http from 'node:http';
import { RandomUserStandIn } from '../../infra/local/users-api/random-user-stand-in';
import { recordedUsers } from '../../infra/local/users-api/recorded-users';
import type { RandomUser } from '../../functions/produce-users/random-user';
import { Background, SLS } from '../support/processes';
import { defaultConsumerGroupId } from '../../infra/mapping/event-source-mapping';
import { BROKERS, CONTACT_POINTS, testCassandra, testKafka } from '../support/services';

// The whole pipeline under sls offline: produceUsers triggered through the offline Lambda endpoint,
// its users carried by Kafka and the event-source emulator into Cassandra.
const LAMBDA_PORT = '3112';

describe('the pipeline under sls offline', () => {
  let cassandra: Client;
  let standIn: RandomUserStandIn;
  let offline: Background;
  const ids = (recordedUsers().slice(0, 5) as RandomUser[]).map((u) => u.login.uuid);

  beforeAll(async () => {
    cassandra = testCassandra();
    await cassandra.execute('DELETE FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true });
    standIn = new RandomUserStandIn();
    const url = await standIn.start();
    offline = new Background(SLS, ['offline', 'start', '--stage', 'e2e', '--param', 'kafka=local', '--noSponsor'], {
      KAFKA_BROKERS: BROKERS.join(','),
      CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(','),
      USERS_API_URL: url,
      USERS_PER_RUN: '5',
      OFFLINE_HTTP_PORT: '3111',
      OFFLINE_LAMBDA_PORT: LAMBDA_PORT,
    });
    await offline.waitFor('[kafka-esm] writeUsers: consuming users_created');
    await offline.waitFor(`Offline [http for lambda] listening on http://127.0.0.1:${LAMBDA_PORT}`);
  }, 120_000);

  afterAll(async () => {
    await offline?.stop();
    await standIn?.stop();
    await cassandra?.shutdown();
  });

  it('gets the users produceUsers publishes into spark_streams.created_users', async () => {
    const response = await fetch(`http://127.0.0.1:${LAMBDA_PORT}/2015-03-31/functions/realtime-data-streaming-e2e-produceUsers/invocations`, {
      method: 'POST',
      body: JSON.stringify({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ fetched: 5, published: 5, rejected: 0 });

    const deadline = Date.now() + 60_000;
    let rows = 0;
    while (rows < ids.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      rows = (await cassandra.execute('SELECT id FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true })).rowLength;
    }
    expect(rows).toBe(ids.length);
    await offline.waitFor(/\[kafka-esm\] writeUsers: users_created-\d offsets \d+-\d+(, users_created-\d offsets \d+-\d+)* \(\d+ records\) \d+ ms ok/, 10_000);
  });

  it('refuses an invocation from a web page, or addressed by another name, and says why', async () => {
    const invoke = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const path = '/2015-03-31/functions/realtime-data-streaming-e2e-writeUsers/invocations';
        http
          .request({ host: '127.0.0.1', port: Number(LAMBDA_PORT), method: 'POST', path, headers: { 'content-type': 'text/plain', ...headers } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject)
          .end('{"eventSource":"SelfManagedKafka","records":{}}');
      });
    // A form another site posts (text/plain needs no preflight), and a page behind a rebinding name.
    expect(await invoke({ origin: 'https://evil.example' })).toBe(403);
    expect(await invoke({ host: `rebound.example:${LAMBDA_PORT}` })).toBe(403);
    await offline.waitFor(
      `[offline-guard] refused POST /2015-03-31/functions/realtime-data-streaming-e2e-writeUsers/invocations: Host "rebound.example:${LAMBDA_PORT}"`,
      10_000,
    );
  });

  it('commits the mapping group up to the end of every partition, and stops on Ctrl-C keeping it', async () => {
    // The log line prints in every case; the group's offsets are what a restart resumes from.
    const admin = testKafka().admin();
    await admin.connect();
    const group = defaultConsumerGroupId('realtime-data-streaming', 'e2e', 'writeUsers', 'users_created');
    const positions = async () => {
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: ['users_created'] });
      const ends = await admin.fetchTopicOffsets('users_created');
      return {
        committed: Object.fromEntries(committed.partitions.map(({ partition, offset }) => [partition, Number(offset)])),
        ends: Object.fromEntries(ends.map(({ partition, high }) => [partition, Number(high)])),
      };
    };
    try {
      // The schedule's own ticks publish too, so wait for the group to reach the end it sees.
      let now = await positions();
      const deadline = Date.now() + 30_000;
      while (JSON.stringify(now.committed) !== JSON.stringify(now.ends) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        now = await positions();
      }
      expect(now.committed).toEqual(now.ends);

      expect(await offline.stop()).toBe(0);
      expect(offline.output).toContain('[kafka-esm] stopped; processed offsets are committed');
      const after = await positions();
      for (const [partition, offset] of Object.entries(now.committed)) expect(after.committed[partition]).toBeGreaterThanOrEqual(offset);
    } finally {
      await admin.disconnect();
    }
  });
});
