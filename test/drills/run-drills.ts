// `npm run test:drills` (after the jest fault tests): the fault drills on the running pipeline, each
// ending in a count, then the table. On the single-node stack, the single-node drills; on a cluster
// (STACK_NODES=3), the same drills and the cluster's own: a partition leader, Cassandra replicas and
// the controller quorum failing mid-stream (DRILL_SET=cluster: the cluster's own only). Exits 1 when
// any drill lost a record, dead-lettered a valid one or broke its own promise (below), or when it
// cannot run (a stack this checkout's launcher did not start answers: its processes cannot be
// signalled). Each drill is described where it is defined.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import topics from '../../contract/topics.json';
import type { CassandraNode } from '../../infra/local/stack/cassandra-node';
import type { KafkaBroker } from '../../infra/local/stack/kafka-broker';
import { LocalStack } from '../../infra/local/stack/local-stack';
import { sleep } from '../../infra/local/stack/managed-process';
import { createTopicsWithLeaders } from '../../infra/local/stack/topics-with-leaders';
import { RandomUserStandIn, type StandInReply } from '../../infra/local/users-api/random-user-stand-in';
import { run } from '../support/processes';
import { BROKERS, CASSANDRA_OPTIONS, readSince, topicEnd } from '../support/services';
import { account, Pipeline, plan, publish, table, type Batch, type DrillResult } from './drill-harness';
import { SECRET_ROTATION_DRILL, secretRotationDrill } from './secret-rotation';

const RECORDS = Number(process.env.DRILL_RECORDS ?? 3000);
const stack = new LocalStack(undefined, (line) => console.log(`[stack] ${line}`));
const CLUSTER = stack.settings.nodes > 1;
const kafka = new Kafka({ clientId: 'drills', brokers: BROKERS, logLevel: logLevel.NOTHING, retry: { retries: 10 } });
const cassandra = new Client({ ...CASSANDRA_OPTIONS, socketOptions: { readTimeout: 30_000 } });

/** SIGTERM to one service, a pause, then `npm run stack:up` as a user would bring it back. */
async function stopAndBringBack(service: 'kafka' | 'cassandra' | 'schemaRegistry', pauseMs: number): Promise<void> {
  await stack[service].process.stop();
  await sleep(pauseMs);
  const up = await run('npm', ['run', '-s', 'stack:up'], { KAFKA_BROKERS: BROKERS.join(',') }, 240_000);
  if (up.code !== 0) throw new Error(`npm run stack:up failed:\n${up.output}`);
}

interface Context {
  pipeline: Pipeline;
}

/** What a drill promises beyond "nothing lost, nothing valid dead-lettered". */
interface Promises {
  /** No invocation reported a failed record (a replica lost under LOCAL_QUORUM). */
  noFailedBatch?: boolean;
  /** Every key on users_created once (the idempotent producer through a leader failover). */
  onePerKey?: boolean;
}

interface StreamingOptions {
  before?: () => Promise<void>;
  /** After the count: puts the stack back as the next drill expects it. */
  after?: () => Promise<void>;
  dlqRecreated?: boolean;
  promises?: Promises;
  /** A line under the table, from the pipeline output between the fault's start and its end. */
  note?: (pipeline: Pipeline, fault: { from: number; to: number }) => string;
}

/** Records stream in; the fault lands mid-stream; the count starts when the fault is over. */
async function streaming(ctx: Context, name: string, fault: () => Promise<void>, options: StreamingOptions = {}): Promise<DrillResult> {
  const { batch, messages } = await plan(kafka, RECORDS);
  await options.before?.();
  const from = ctx.pipeline.mark();
  const publishing = publish(kafka, messages, batch);
  await sleep(1500);
  const began = Date.now();
  const faultFrom = ctx.pipeline.mark();
  await fault();
  const faultTo = ctx.pipeline.mark();
  console.log(`[drill] ${name}: fault over after ${((Date.now() - began) / 1000).toFixed(1)} s`);
  const recovered = Date.now();
  await publishing;
  // A recreated topic starts again at offset 0: read it all.
  const counted: Batch = options.dlqRecreated ? { ...batch, from: { ...batch.from, dlq: [] } } : batch;
  const result = await account(kafka, cassandra, name, counted, recovered);
  result.failedBatches = ctx.pipeline.failedBatchesSince(from);
  const broken: string[] = [];
  if (options.promises?.noFailedBatch && result.failedBatches > 0)
    broken.push(`${result.failedBatches} failed batch(es), where LOCAL_QUORUM should have kept every write`);
  if (result.untraced) broken.push(`${result.untraced} dead letter(s) without the trace of the run that published them`);
  if (options.promises?.onePerKey && result.messagesPerKey.max > 1)
    broken.push(`a key published ${result.messagesPerKey.max} times, where the idempotent producer should have written it once`);
  const notes = [options.note?.(ctx.pipeline, { from: faultFrom, to: faultTo }), ...broken].filter(Boolean);
  await options.after?.();
  return { ...result, note: notes.length > 0 ? notes.join('; ') : undefined, broken: broken.length > 0 };
}

/** Until every partition of the pipeline's topics has its full replica set in sync again. */
async function fullyReplicated(timeoutMs = 120_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const metadata = await admin.fetchTopicMetadata({ topics: [topics.usersCreated.name, topics.usersDeadLetter.name] }).catch(() => undefined);
      const lagging = metadata?.topics.flatMap((topic) => topic.partitions.filter((p) => p.isr.length < p.replicas.length)).length ?? -1;
      if (lagging === 0) return;
      if (Date.now() > deadline) throw new Error(`the topics' replicas were not all in sync ${timeoutMs / 1000} s after the fault`);
      await sleep(1000);
    }
  } finally {
    await admin.disconnect();
  }
}

/** The broker leading a partition of users_created now. */
async function leaderOf(partition: number): Promise<KafkaBroker> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const {
      topics: [topic],
    } = await admin.fetchTopicMetadata({ topics: [topics.usersCreated.name] });
    const leader = topic.partitions.find((p) => p.partitionId === partition)?.leader;
    const broker = stack.brokers.find((b) => b.node.id === leader);
    if (!broker) throw new Error(`no broker of this stack leads ${topics.usersCreated.name}-${partition} (leader ${leader})`);
    return broker;
  } finally {
    await admin.disconnect();
  }
}

/**
 * The active controller: the leader of the KRaft quorum, as the voters record it in their
 * quorum-state files (the newest epoch wins; a voter that was down may hold an old one). A KRaft
 * broker's metadata answer names a random broker as "controller", so the admin API cannot say.
 */
function quorumLeader(): KafkaBroker {
  const states = stack.brokers.flatMap((broker) => {
    const file = path.join(stack.settings.dirs.data, broker.node.name, '__cluster_metadata-0', 'quorum-state');
    return fs.existsSync(file) ? [JSON.parse(fs.readFileSync(file, 'utf8')) as { leaderId: number; leaderEpoch: number }] : [];
  });
  const newest = states.sort((a, b) => b.leaderEpoch - a.leaderEpoch)[0];
  const leader = stack.brokers.find((b) => b.node.id === newest?.leaderId);
  if (!leader) throw new Error('no voter of the controller quorum records a leader');
  return leader;
}

/** SIGKILL to the broker `choose` picks; started again after the count, and caught up before the next drill. */
function brokerKilled(ctx: Context, name: string, choose: () => Promise<KafkaBroker>, downMs: number, promises?: Promises): Promise<DrillResult> {
  let killed: KafkaBroker | undefined;
  const fault = async () => {
    killed = await choose();
    console.log(`[drill] ${name}: ${killed.node.name} (node ${killed.node.id})`);
    killed.process.signal('SIGKILL');
    await sleep(downMs);
  };
  const after = async () => {
    if (killed) await bringBack(killed);
    await fullyReplicated();
  };
  return streaming(ctx, name, fault, { after, promises });
}

async function bringBack(...services: Array<KafkaBroker | CassandraNode>): Promise<void> {
  for (const service of services) await stack.startService(service);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** writeUsers' latency while a replica was frozen, beside its latency before. */
function latencyNote(pipeline: Pipeline, fault: { from: number; to: number }): string {
  const during = pipeline.writeLatenciesBetween(fault.from, fault.to);
  if (during.length === 0) return 'no writeUsers invocation while the replica was frozen';
  return `writeUsers' WriteLatency while frozen: p50 ${percentile(during, 50)} ms, p95 ${percentile(during, 95)} ms, max ${Math.max(...during)} ms over ${during.length} invocations`;
}

const SINGLE_NODE_DRILLS: Array<{ name: string; run: (ctx: Context) => Promise<DrillResult> }> = [
  {
    // Longer than the driver's request timeout (5 s): writes time out, batches are retried.
    name: 'Cassandra frozen 15 s (SIGSTOP)',
    run: (ctx) =>
      streaming(ctx, 'Cassandra frozen 15 s (SIGSTOP)', async () => {
        stack.cassandra.process.signal('SIGSTOP');
        await sleep(15_000);
        stack.cassandra.process.signal('SIGCONT');
      }),
  },
  {
    name: 'Cassandra stopped (SIGTERM), back with stack:up',
    run: (ctx) => streaming(ctx, 'Cassandra stopped (SIGTERM), back with stack:up', () => stopAndBringBack('cassandra', 3000)),
  },
  {
    // The emulator consumes and the drill publishes through the restart (publishes are retried).
    name: 'Kafka broker restarted mid-stream',
    run: (ctx) =>
      streaming(ctx, 'Kafka broker restarted mid-stream', () => stopAndBringBack('kafka', 2000), {
        after: () => (CLUSTER ? fullyReplicated() : Promise.resolve()),
      }),
  },
  {
    // The registry stopped for 10 s while records flow. The emulated mapping keeps each schema it
    // fetched, as a poller would, so records naming a known id go on; one naming an id it has not
    // seen would wait on its partition (never dead-lettered for the registry's fault). Back, the
    // registry has its schemas and ids (they live in Kafka).
    name: 'schema registry stopped mid-stream',
    run: (ctx) => streaming(ctx, 'schema registry stopped mid-stream', () => stopAndBringBack('schemaRegistry', 10_000)),
  },
  {
    // Nothing commits for the killed run; the new one resumes from the committed offsets.
    name: 'npm start killed (SIGKILL) mid-batch',
    run: (ctx) =>
      streaming(ctx, 'npm start killed (SIGKILL) mid-batch', async () => {
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
    run: async (ctx) => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { replicationFactor, minInsyncReplicas } = stack.settings.kafka;
        return await streaming(
          ctx,
          'dead-letter topic deleted, recreated 10 s later',
          async () => {
            await sleep(8500);
            await createTopicsWithLeaders(admin, [
              {
                topic: topics.usersDeadLetter.name,
                numPartitions: topics.usersDeadLetter.partitions,
                replicationFactor,
                configEntries: [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }],
              },
            ]);
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

const CLUSTER_DRILLS: Array<{ name: string; run: (ctx: Context) => Promise<DrillResult> }> = [
  {
    // The leader of partition 0 dies mid-publish: the producer and the emulator move to the new leader.
    name: 'partition leader broker killed (SIGKILL)',
    run: (ctx) => brokerKilled(ctx, 'partition leader broker killed (SIGKILL)', () => leaderOf(0), 5000, { onePerKey: true }),
  },
  {
    // Two of three replicas still acknowledge every LOCAL_QUORUM write.
    name: 'one Cassandra replica killed (SIGKILL)',
    run: (ctx) =>
      streaming(
        ctx,
        'one Cassandra replica killed (SIGKILL)',
        async () => {
          stack.cassandraNodes[2].process.signal('SIGKILL');
          await sleep(10_000);
        },
        { after: () => bringBack(stack.cassandraNodes[2]), promises: { noFailedBatch: true } },
      ),
  },
  {
    // One replica of three cannot make a quorum: writes fail and batches are retried until one returns.
    name: 'two Cassandra replicas killed, one back after 20 s',
    run: (ctx) =>
      streaming(
        ctx,
        'two Cassandra replicas killed, one back after 20 s',
        async () => {
          stack.cassandraNodes[1].process.signal('SIGKILL');
          stack.cassandraNodes[2].process.signal('SIGKILL');
          await sleep(20_000);
          await bringBack(stack.cassandraNodes[1]);
        },
        { after: () => bringBack(stack.cassandraNodes[2]) },
      ),
  },
  {
    // A slow node rather than a dead one: its sockets stay open and it answers nothing.
    name: 'one Cassandra replica frozen 20 s (SIGSTOP)',
    run: (ctx) =>
      streaming(
        ctx,
        'one Cassandra replica frozen 20 s (SIGSTOP)',
        async () => {
          stack.cassandraNodes[2].process.signal('SIGSTOP');
          await sleep(20_000);
          stack.cassandraNodes[2].process.signal('SIGCONT');
        },
        { note: latencyNote },
      ),
  },
  {
    // As an upgrade does it: each broker stopped (SIGTERM), started, and caught up before the next.
    name: 'rolling restart of the three brokers',
    run: (ctx) =>
      streaming(ctx, 'rolling restart of the three brokers', async () => {
        for (const broker of stack.brokers) {
          await broker.process.stop();
          await bringBack(broker);
          await fullyReplicated();
        }
      }),
  },
  {
    // The active controller (the quorum's leader, also a broker here) dies: two voters elect another.
    name: 'controller quorum leader killed (SIGKILL)',
    run: (ctx) => brokerKilled(ctx, 'controller quorum leader killed (SIGKILL)', async () => quorumLeader(), 10_000),
  },
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
    [
      '5xx until out of attempts',
      [
        { kind: 'status', status: 503 },
        { kind: 'status', status: 502 },
      ],
      false,
    ],
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
    return {
      ...result,
      recordsIn: onTopic.length,
      lost: result.lost + violations + Math.abs(onTopic.length - expected),
      recoverSeconds: result.recoverSeconds,
    };
  } finally {
    await standIn.stop();
  }
}

async function main(): Promise<void> {
  const clusterOnly = process.env.DRILL_SET === 'cluster';
  if (clusterOnly && !CLUSTER)
    throw new Error("DRILL_SET=cluster runs the cluster's own drills, which need the three-node stack: STACK_NODES=3 npm run stack:up first.");
  const startedHere = !(await stack.isReady());
  if (startedHere) await stack.up();
  if (!stack.services.every((service) => service.process.isRunning())) {
    throw new Error(
      "The drills signal Kafka and Cassandra, so they need the ones this checkout's launcher started; another stack answers here. Stop it (npm run stack:down in its checkout, or docker compose down) and run again.",
    );
  }
  await cassandra.connect();
  const only = process.env.DRILLS?.split(',').map((n) => n.trim().toLowerCase());
  const selected = (name: string) => !only || only.some((o) => name.toLowerCase().includes(o));
  const ctx: Context = { pipeline: new Pipeline({ OFFLINE_HTTP_PORT: '3141', OFFLINE_LAMBDA_PORT: '3142', USERS_API_URL: 'http://127.0.0.1:9/api/' }) };
  const results: DrillResult[] = [];
  // On a cluster, its own drills first, then the single-node ones, unchanged, on the cluster
  // (DRILL_SET=cluster keeps the cluster's own: CI runs the others on the single node already).
  const drills = (CLUSTER ? [...CLUSTER_DRILLS, ...(clusterOnly ? [] : SINGLE_NODE_DRILLS)] : SINGLE_NODE_DRILLS).filter((d) => selected(d.name));
  if (drills.length > 0) await ctx.pipeline.start();
  try {
    for (const drill of drills) results.push(await runDrill(drill.name, () => drill.run(ctx)));
  } finally {
    await ctx.pipeline.stop();
    fs.mkdirSync(path.join(__dirname, '..', '..', '.local', 'logs'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, '..', '..', '.local', 'logs', 'drills-npm-start.log'), ctx.pipeline.output);
    await cassandra.shutdown();
  }
  // On a stack of its own that demands logins, under an `npm start` of its own (single node only:
  // the launcher's SCRAM listener runs there).
  if (!CLUSTER && selected(SECRET_ROTATION_DRILL)) results.push(await runDrill(SECRET_ROTATION_DRILL, () => secretRotationDrill(RECORDS)));
  if (startedHere) await stack.down();
  const size = CLUSTER ? `${stack.settings.nodes} brokers and ${stack.settings.nodes} Cassandra nodes` : 'one broker and one Cassandra node';
  console.log(`\nOn ${size}, ${RECORDS} valid records and ${Math.floor(RECORDS / 10)} poison per streaming drill:\n\n${table(results)}\n`);
  for (const result of results.filter((r) => r.note)) console.log(`- ${result.drill}: ${result.note}`);
  // Followed through the log of the drills' shared `npm start` (the rotation drill runs its own).
  const traced = results.find((r) => r.traced && r.drill !== SECRET_ROTATION_DRILL);
  if (traced) console.log(`\n${traceLine(traced, ctx.pipeline.output)}`);
  const failed = results.filter((r) => !(r.lost === 0) || r.validDeadLettered > 0 || r.broken);
  if (failed.length > 0) {
    // The emulator's own account of the run, where a failed drill's reason shows first.
    const emulator = ctx.pipeline.output.split('\n').filter((line) => line.includes('[kafka-esm]'));
    console.error(`\nThe emulator's last lines:\n${emulator.slice(-40).join('\n')}`);
    console.error(
      `${failed.length} drill(s) lost records, dead-lettered valid ones or broke their promise: ${failed.map((r) => r.drill).join(', ')}. npm start's output: .local/logs/drills-npm-start.log (the rotation drill's: drills-rotation-npm-start.log)`,
    );
    process.exitCode = 1;
  }
}

/** One drill, its outcome said; a drill that breaks down is a failed drill, and the others still run. */
async function runDrill(name: string, drill: () => Promise<DrillResult>): Promise<DrillResult> {
  console.log(`[drill] ${name}…`);
  try {
    const result = await drill();
    console.log(`[drill] ${name}: ${result.lost} lost, ${result.validDeadLettered} valid dead-lettered, recovered in ${result.recoverSeconds.toFixed(1)} s`);
    return result;
  } catch (error) {
    console.error(`[drill] ${name} broke down: ${(error as Error).message}`);
    return {
      drill: `${name} (broke down)`,
      recordsIn: 0,
      rowsOut: 0,
      deadLettered: 0,
      duplicates: 0,
      validDeadLettered: 0,
      lost: Number.NaN,
      messagesPerKey: { min: 0, max: 0 },
      failedBatches: 0,
      recoverSeconds: 0,
    };
  }
}

/** One dead letter followed back to the run that published it, and what writeUsers logged of it. */
function traceLine({ drill, traced }: DrillResult, output: string): string {
  const { letter, run } = traced!;
  const offset = new RegExp(`"offset":"?${letter.source.offset}"?[,}]`);
  const logged = output.split('\n').find((line) => line.includes(letter.traceId ?? '(none)') && offset.test(line));
  return [
    `A dead letter traced (${drill}): ${letter.position} on users_created.dlq, ${letter.writer}'s ${letter.reason}, from ${letter.source.topic} ${letter.source.partition}:${letter.source.offset}`,
    `  carries trace ${letter.traceId}, the trace of the run that published it: _X_AMZN_TRACE_ID ${run.xrayHeader} (${run.records} records, traceparent ${run.traceparent})`,
    `  writeUsers logged it: ${logged?.trim() ?? '(no log line names it)'}`,
  ].join('\n');
}

// Exit when done: a drill that broke down can leave a client retrying (a producer meeting a
// deleted topic), which would keep the process, and CI, waiting.
main()
  .catch((error: Error) => {
    console.error(`[drill] could not run: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
