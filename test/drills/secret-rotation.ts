// The secret-rotation drill: the pipeline under `npm start` on a stack that demands logins (Kafka's
// SASL/SCRAM listener, Cassandra's PasswordAuthenticator), every credential read from moto's Secrets
// Manager as in AWS: produceUsers' and writeUsers' Kafka logins, writeUsers' Cassandra login and the
// emulated mapping's own. Mid-stream both passwords are rotated as a rotation function does it (the
// user's password on the cluster, then the secret's value), and the broker and the node restart, so
// every connection logs in again. The warm containers hold the old passwords: nothing may be lost.
// A private stack on free ports in a temp dir, so the open stack of the other drills stays as it is.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { findJava } from '../../infra/local/stack/java';
import { KafkaBroker } from '../../infra/local/stack/kafka-broker';
import { sleep } from '../../infra/local/stack/managed-process';
import { RandomUserStandIn } from '../../infra/local/users-api/random-user-stand-in';
import { ensurePythonTools } from '../../infra/local/tools/python-tools';
import { AwsApiEmulator } from '../support/aws-api-emulator';
import { freePort } from '../support/free-port';
import { passwordCheckedStack } from '../support/password-checked-stack';
import { account, Pipeline, plan, publish, type DrillResult } from './drill-harness';

export const SECRET_ROTATION_DRILL = 'SCRAM and Cassandra passwords rotated mid-stream';

const LOG_DIR = path.resolve(__dirname, '..', '..', '.local', 'logs');
const LOGIN_RENEWED = 'login refused; reading the secrets again and reconnecting once';

/** Runs produceUsers through sls offline's Lambda API every `everyMs` until stopped; the ids of runs that published. */
function produceUsersRuns(lambdaPort: number, standIn: RandomUserStandIn, everyMs: number) {
  const published: string[] = [];
  let ok = 0;
  let failed = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const served = standIn.servedIds.length;
      const response = await fetch(`http://127.0.0.1:${lambdaPort}/2015-03-31/functions/realtime-data-streaming-local-produceUsers/invocations`, {
        method: 'POST',
        body: JSON.stringify({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }),
      }).catch(() => undefined);
      const summary = (await response?.json().catch(() => undefined)) as { published?: number } | undefined;
      // A run publishes all its users or fails: only a run that says so counts its users as sent.
      if (response?.ok && !response.headers.get('x-amz-function-error') && summary?.published !== undefined) {
        ok += 1;
        published.push(...standIn.servedIds.slice(served));
      } else {
        failed += 1;
      }
      await sleep(everyMs);
    }
  })();
  return {
    published,
    async stop(): Promise<{ ok: number; failed: number }> {
      stopped = true;
      await loop;
      return { ok, failed };
    },
  };
}

export async function secretRotationDrill(records: number): Promise<DrillResult> {
  ensurePythonTools();
  const {
    stack,
    env: stackEnv,
    scramUser,
    cassandraUser,
    remove,
  } = await passwordCheckedStack('rotation-drill', (line) => console.log(`[rotation-stack] ${line}`));
  const [httpPort, lambdaPort] = await Promise.all([freePort(), freePort()]);
  const aws = new AwsApiEmulator();
  const standIn = new RandomUserStandIn('generated');
  // The drill's own clients: the open listener and the superuser, which the rotation does not touch.
  const kafka = new Kafka({ clientId: 'rotation-drill', brokers: [stackEnv.KAFKA_BROKERS], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
  let cassandra: Client | undefined;
  let pipeline: Pipeline | undefined;
  try {
    const [, , usersApi] = await Promise.all([stack.up(), aws.start(), standIn.start()]);
    const kafkaSecret = await aws.createSecret('kafka-scram', scramUser);
    const cassandraSecret = await aws.createSecret('cassandra-password', cassandraUser);
    cassandra = new Client({ ...stack.cassandra.adminClientOptions(), socketOptions: { readTimeout: 30_000 } });
    await cassandra.connect();

    pipeline = new Pipeline({
      ...stackEnv,
      ...aws.env,
      KAFKA_AUTH: 'scram',
      KAFKA_SSL: 'false',
      KAFKA_SASL_SECRET_ARN: kafkaSecret,
      CASSANDRA_SECRET_ARN: cassandraSecret,
      USERS_API_URL: usersApi,
      USERS_PER_RUN: '50',
      OFFLINE_HTTP_PORT: String(httpPort),
      OFFLINE_LAMBDA_PORT: String(lambdaPort),
    });
    await pipeline.start();

    const { batch, messages } = await plan(kafka, records);
    const from = pipeline.mark();
    const publishing = publish(kafka, messages, batch);
    const runs = produceUsersRuns(lambdaPort, standIn, 1000);
    await sleep(3000);

    const began = Date.now();
    const rotatedScram = { ...scramUser, password: randomBytes(12).toString('hex') };
    const rotatedCassandra = { ...cassandraUser, password: randomBytes(12).toString('hex') };
    // As a rotation function does it: the password on the cluster, then the secret's value.
    const rotated = new KafkaBroker({ ...stack.settings, kafka: { ...stack.settings.kafka, scram: { ...stack.settings.kafka.scram!, user: rotatedScram } } });
    await rotated.ensureScramUser(findJava(), () => undefined);
    await aws.putSecretValue(kafkaSecret, rotatedScram);
    await cassandra.execute(`ALTER ROLE ${cassandraUser.username} WITH PASSWORD = '${rotatedCassandra.password}'`);
    await aws.putSecretValue(cassandraSecret, rotatedCassandra);
    // Connections opened before the rotation stay logged in; a restart makes every client log in again.
    await stack.kafka.process.stop();
    await stack.startService(stack.kafka);
    await stack.cassandra.process.stop();
    await stack.startService(stack.cassandra);
    console.log(`[drill] ${SECRET_ROTATION_DRILL}: rotated, broker and node restarted after ${((Date.now() - began) / 1000).toFixed(1)} s`);
    const recovered = Date.now();
    await publishing;
    const produced = await runs.stop();
    batch.valid.push(...runs.published);

    const result = await account(kafka, cassandra, SECRET_ROTATION_DRILL, batch, recovered);
    result.failedBatches = pipeline.failedBatchesSince(from);
    const output = pipeline.output.slice(from);
    const renewals = output.split('\n').filter((line) => line.includes(LOGIN_RENEWED));
    // The functions' JSON log line names the service that refused the login in `refusedBy`.
    const refusedBy = (line: string) => (JSON.parse(line.slice(line.indexOf('{'))) as { refusedBy?: string }).refusedBy;
    const renewed = (service: 'Kafka' | 'Cassandra') => renewals.filter((line) => refusedBy(line) === service).length;
    const mapping = output.split('\n').filter((line) => line.includes("refused the mapping's login")).length;
    const broken: string[] = [];
    // The drill proves nothing unless the old passwords were refused and renewed.
    if (renewed('Cassandra') === 0) broken.push('writeUsers never renewed its Cassandra login: the rotation did not reach it');
    if (renewed('Kafka') === 0) broken.push('no function renewed its Kafka login: the rotation did not reach them');
    if (produced.ok === 0 || runs.published.length === 0) broken.push('no produceUsers run published');
    if (result.untraced) broken.push(`${result.untraced} dead letter(s) without the trace of the run that published them`);
    const note = [
      `produceUsers runs ${produced.ok} ok, ${produced.failed} failed (${runs.published.length} users published); logins renewed: Kafka ${renewed('Kafka')}, Cassandra ${renewed('Cassandra')}, the emulated mapping ${mapping}`,
      ...broken,
    ].join('; ');
    return { ...result, note, broken: broken.length > 0 };
  } finally {
    await pipeline?.stop();
    if (pipeline) {
      fs.mkdirSync(LOG_DIR, { recursive: true });
      fs.writeFileSync(path.join(LOG_DIR, 'drills-rotation-npm-start.log'), pipeline.output);
    }
    await cassandra?.shutdown();
    await Promise.allSettled([remove(), aws.stop(), standIn.stop()]);
  }
}
