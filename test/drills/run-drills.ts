// `npm run test:faults` (after the jest fault tests): the fault drills on the running pipeline, each
// ending in a count, then the table. Exits 1 when any drill lost a record or dead-lettered a valid
// one, or when it cannot run (a stack this checkout's launcher did not start answers: its processes
// cannot be signalled). Each drill is described where it is defined.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import topics from '../../contract/topics.json';
import { LocalStack } from '../../infra/local/stack/local-stack';
import { sleep } from '../../infra/local/stack/managed-process';
import { RandomUserStandIn, type StandInReply } from '../../infra/local/users-api/random-user-stand-in';
import { run } from '../support/processes';
import { BROKERS, CONTACT_POINTS, LOCAL_DC, readSince, topicEnd } from '../support/services';
import { account, Pipeline, plan, publish, table, type Batch, type DrillResult } from './drill-harness';

const RECORDS = Number(process.env.DRILL_RECORDS ?? 3000);
const stack = new LocalStack(undefined, (line) => console.log(`[stack] ${line}`));
const kafka = new Kafka({ clientId: 'drills', brokers: BROKERS, logLevel: logLevel.NOTHING, retry: { retries: 10 } });
const cassandra = new Client({ contactPoints: CONTACT_POINTS, localDataCenter: LOCAL_DC, socketOptions: { readTimeout: 30_000 } });

/** SIGTERM to one service, a pause, then `npm run stack:up` as a user would bring it back. */
async function stopAndBringBack(service: 'kafka' | 'cassandra', pauseMs: number): Promise<void> {
  await stack[service].process.stop();
  await sleep(pauseMs);
  const up = await run('npm', ['run', '-s', 'stack:up'], { KAFKA_BROKERS: BROKERS.join(',') }, 240_000);
  if (up.code !== 0) throw new Error(`npm run stack:up failed:\n${up.output}`);
}

interface Context {
  pipeline: Pipeline;
}

/** Records stream in; the fault lands mid-stream; the count starts when the fault is over. */
async function streaming(name: string, fault: () => Promise<void>, options: { before?: () => Promise<void>; dlqRecreated?: boolean } = {}): Promise<DrillResult> {
  const { batch, messages } = await plan(kafka, RECORDS);
  await options.before?.();
  const publishing = publish(kafka, messages);
  await sleep(1500);
  const began = Date.now();
  await fault();
  console.log(`[drill] ${name}: fault over after ${((Date.now() - began) / 1000).toFixed(1)} s`);
  const recovered = Date.now();
  await publishing;
  // A recreated topic starts again at offset 0: read it all.
  const counted: Batch = options.dlqRecreated ? { ...batch, from: { ...batch.from, dlq: [] } } : batch;
  return account(kafka, cassandra, name, counted, recovered);
}

const DRILLS: Array<{ name: string; run: (ctx: Context) => Promise<DrillResult> }> = [
  {
    // Longer than the driver's request timeout (5 s): writes time out, batches are retried.
    name: 'Cassandra frozen 15 s (SIGSTOP)',
    run: () =>
      streaming('Cassandra frozen 15 s (SIGSTOP)', async () => {
        stack.cassandra.process.signal('SIGSTOP');
        await sleep(15_000);
        stack.cassandra.process.signal('SIGCONT');
      }),
  },
  {
    name: 'Cassandra stopped (SIGTERM), back with stack:up',
    run: () =>
      streaming('Cassandra stopped (SIGTERM), back with stack:up', () => stopAndBringBack('cassandra', 3000)),
  },
  {
    // The emulator consumes and the drill publishes through the restart (publishes are retried).
    name: 'Kafka broker restarted mid-stream',
    run: () =>
      streaming('Kafka broker restarted mid-stream', () => stopAndBringBack('kafka', 2000)),
  },
  {
    // Nothing commits for the killed run; the new one resumes from the committed offsets.
    name: 'npm start killed (SIGKILL) mid-batch',
    run: (ctx) =>
      streaming('npm start killed (SIGKILL) mid-batch', async () => {
        ctx.pipeline.kill();
        await sleep(2000);
        await ctx.pipeline.start();
      }),
  },
  {
    // The topic is deleted before the records come (records already on it would go with it: that
    // loss is the deletion's, not the pipeline's). Poison arriving while it is gone cannot be
    // dead-lettered: writeUsers reports it for retry until the topic is back.
    name: 'dead-letter topic deleted, recreated 10 s later',
    run: async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return await streaming(
          'dead-letter topic deleted, recreated 10 s later',
          async () => {
            await sleep(8500);
            await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.usersDeadLetter.name, numPartitions: topics.usersDeadLetter.partitions, replicationFactor: 1 }] });
          },
          // Deleted once the drill's positions are taken, before its records come.
          { before: () => admin.deleteTopics({ topics: [topics.usersDeadLetter.name] }), dlqRecreated: true },
        );
      } finally {
        await admin.disconnect();
      }
    },
  },
  { name: 'Random User API failing each way', run: () => apiFaults() },
];

/**
 * produceUsers (`sls invoke local`, as a scheduled run) against the stand-in failing each way: every
 * run publishes all of its users or none, and what it published reaches Cassandra through the
 * running pipeline.
 */
async function apiFaults(): Promise<DrillResult> {
  const perRun = 50;
  const standIn = new RandomUserStandIn('generated');
  const url = await standIn.start();
  const cases: Array<[string, StandInReply[], boolean]> = [
    ['5xx until out of attempts', [{ kind: 'status', status: 503 }, { kind: 'status', status: 502 }], false],
    ['429 with Retry-After, then users', [{ kind: 'status', status: 429, retryAfter: '1' }], true],
    ['slow until out of attempts', [{ kind: 'hang' }, { kind: 'hang' }], false],
    ['garbage until out of attempts', [{ kind: 'garbage' }, { kind: 'garbage' }], false],
    ['connection reset, then users', [{ kind: 'reset' }], true],
  ];
  const from = await topicEnd(kafka, 'users_created');
  const began = Date.now();
  let violations = 0;
  let expected = 0;
  try {
    for (const [label, replies, succeeds] of cases) {
      standIn.respondWith(replies);
      const served = standIn.servedIds.length;
      const invoked = await run('npx', ['sls', 'invoke', 'local', '-f', 'produceUsers', '--path', 'events/produce-users.schedule.json'], {
        KAFKA_BROKERS: BROKERS.join(','),
        USERS_API_URL: url,
        USERS_PER_RUN: String(perRun),
        USERS_API_MAX_ATTEMPTS: '2',
        USERS_API_TIMEOUT_MS: '1000',
      });
      const published = invoked.code === 0 ? perRun : 0;
      const ok = (invoked.code === 0) === succeeds && standIn.servedIds.length - served === published;
      console.log(`[drill] API ${label}: exit ${invoked.code}, published ${published} ${ok ? 'as expected' : 'NOT as expected'}`);
      if (!ok) violations += 1;
      expected += published;
    }
    // Every user the successful runs were served is on users_created once, and nothing else of theirs.
    // Failed runs are served no users, so every id served belongs to a run that published.
    const ids = new Set(standIn.servedIds);
    const onTopic = (await readSince(kafka, 'users_created', from, expected + 1, 15_000)).filter((m) => ids.has(m.key ?? ''));
    const batch: Batch = { valid: [...ids], poison: [], from: { created: from, dlq: await topicEnd(kafka, 'users_created.dlq') } };
    const result = await account(kafka, cassandra, 'Random User API failing each way', batch, began);
    return { ...result, recordsIn: onTopic.length, lost: result.lost + violations + Math.abs(onTopic.length - expected), recoverSeconds: result.recoverSeconds };
  } finally {
    await standIn.stop();
  }
}

async function main(): Promise<void> {
  const startedHere = !(await stack.isReady());
  if (startedHere) await stack.up();
  if (!stack.cassandra.process.isRunning() || !stack.kafka.process.isRunning()) {
    throw new Error('The drills signal Kafka and Cassandra, so they need the ones this checkout\'s launcher started; another stack answers here. Stop it (npm run stack:down in its checkout, or docker compose down) and run again.');
  }
  await cassandra.connect();
  const only = process.env.DRILLS?.split(',').map((n) => n.trim().toLowerCase());
  const ctx: Context = { pipeline: new Pipeline({ OFFLINE_HTTP_PORT: '3141', OFFLINE_LAMBDA_PORT: '3142', USERS_API_URL: 'http://127.0.0.1:9/api/' }) };
  const results: DrillResult[] = [];
  await ctx.pipeline.start();
  try {
    for (const drill of DRILLS.filter((d) => !only || only.some((o) => d.name.toLowerCase().includes(o)))) {
      console.log(`[drill] ${drill.name}…`);
      try {
        const result = await drill.run(ctx);
        console.log(`[drill] ${drill.name}: ${result.lost} lost, ${result.validDeadLettered} valid dead-lettered, recovered in ${result.recoverSeconds.toFixed(1)} s`);
        results.push(result);
      } catch (error) {
        // A drill that breaks down is a failed drill, and the others still run.
        console.error(`[drill] ${drill.name} broke down: ${(error as Error).message}`);
        results.push({ drill: `${drill.name} (broke down)`, recordsIn: 0, rowsOut: 0, deadLettered: 0, duplicates: 0, validDeadLettered: 0, lost: Number.NaN, recoverSeconds: 0 });
      }
    }
  } finally {
    await ctx.pipeline.stop();
    fs.mkdirSync(path.join(__dirname, '..', '..', '.local', 'logs'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, '..', '..', '.local', 'logs', 'drills-npm-start.log'), ctx.pipeline.output);
    await cassandra.shutdown();
    if (startedHere) await stack.down();
  }
  console.log(`\n${table(results)}\n`);
  const failed = results.filter((r) => !(r.lost === 0) || r.validDeadLettered > 0);
  if (failed.length > 0) {
    console.error(`${failed.length} drill(s) lost records or dead-lettered valid ones: ${failed.map((r) => r.drill).join(', ')}. npm start's output: .local/logs/drills-npm-start.log`);
    process.exitCode = 1;
  }
}

// Exit when done: a drill that broke down can leave a client retrying (a producer meeting a
// deleted topic), which would keep the process, and CI, waiting.
main()
  .catch((error: Error) => {
    console.error(`[drill] could not run: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
