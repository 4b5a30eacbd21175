// End to end, as `npm start` runs it: sls offline with the Kafka event-source emulator and writeUsers,
// on a topic of the benchmark's own (the project's serverless.yml with that topic). Three figures:
// how fast a backlog drains; the latency from a record's produce time to its row's WRITETIME at a
// steady rate; and the highest rate held without the lag growing.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { defaultConsumerGroupId } from '../infra/mapping/event-source-mapping';
import { projectRoot } from '../infra/local/stack/stack-settings';
import { offlineNodeOptions } from '../infra/local/dev/offline-node-options';
import type { CreatedUser } from '../functions/shared/created-user';
import { benchUsers } from './bench-users';
import { openCreatedUserEncoder, type CreatedUserEncoder } from '../functions/produce-users/created-user-encoder';
import { DEFAULT_SCHEMA_REGISTRY_URL, SchemaRegistryClient } from '../functions/shared/schema-registry';
import type { PrivateStack } from './private-stack';
import { measureCpu, measureThreads, settled, type CoresBusy } from './process-cpu';
import { recordJvm } from './jvm-profile';
import { rawInserts } from './writer';
import { SIZES } from './sizes';
import { percentile } from './stats';
import { createTopicsWithLeaders } from '../infra/local/stack/topics-with-leaders';

export interface EndToEndFigures {
  drainRecords: number;
  drainPerSec: number;
  /** From the mapping's start to the first commit: writeUsers' cold start and its first batch. */
  drainFirstCommitMs: number;
  /** The drain's rate after the first commit, without the cold start. */
  drainWarmPerSec: number;
  /** Cores busy during the drain: sls offline (the emulator and writeUsers' worker), Kafka, Cassandra, this process. */
  drainCores: CoresBusy;
  /**
   * sls offline's CPU per row in the drain, by thread: its main thread (the emulator, KafkaJS,
   * serverless-offline), the functions' worker threads, and V8's and libuv's helper threads.
   */
  drainOfflineMicrosPerRow: { main: number; functions: number; helpers: number };
  /** The raw driver inserting the backlog's own rows into the emptied table, just before the drain. */
  drainRawPerSec: number;
  /**
   * The same inserts again just after the drain, into the table emptied again: the first inserts of a
   * run have been the slower ones, by up to half, so the baseline is measured on both sides.
   */
  drainRawAfterPerSec: number;
  /** Cores busy during those raw inserts: this process (the driver) and Cassandra. */
  drainRawCores: CoresBusy;
  ratePerSec: number;
  seconds: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Each step: the lag at its end, whether it held, and its records' latency from produce time to WRITETIME. */
  steps: Array<{ ratePerSec: number; lagAtEnd: number; held: boolean; p50Ms: number; p99Ms: number }>;
  maxSustainedPerSec: number;
  batchSize: number;
  maximumBatchingWindowMs: number;
}

const { drainRecords: DRAIN_RECORDS, steadyRatePerSec: STEADY_RATE, steadySeconds: STEADY_SECONDS, stepRates: STEP_RATES, stepSeconds: STEP_SECONDS } = SIZES;
const TICK_MS = 100;

const SERVICE = 'realtime-data-streaming';

/**
 * The stage parameters of the benchmark's run: a local Kafka source reading the benchmark's topic, no
 * schedule worth the name, and the mapping settings being tried (BENCH_BATCH_SIZE, BENCH_WINDOW_SECONDS).
 * Profiled (BENCH_PROFILE_DIR), writeUsers is bundled unminified so npm run bench:profile tells its packages apart.
 */
function slsParams(topic: string, registry: boolean): string[] {
  const param = (name: string, value: string | undefined) => (value ? ['--param', `${name}=${value}`] : []);
  return [
    ...param('kafka', 'local'),
    ...param('usersCreatedTopic', topic),
    ...param('schemaRegistry', registry ? undefined : 'off'),
    ...param('schedule', 'rate(1 day)'),
    ...param('batchSize', process.env.BENCH_BATCH_SIZE),
    ...param('maximumBatchingWindow', process.env.BENCH_WINDOW_SECONDS),
    ...param('minify', process.env.BENCH_PROFILE_DIR ? 'false' : undefined),
  ];
}

function slsPrint(stage: string, params: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(projectRoot, 'node_modules', '.bin', 'sls'), ['print', '--format', 'json', '--stage', stage, ...params], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`sls print --stage ${stage} failed (${code}):\n${err.slice(-2000)}`))));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

class Offline {
  output = '';
  private readonly child: ChildProcess;
  get pid(): number | undefined {
    return this.child.pid;
  }
  constructor(stage: string, params: string[], env: Record<string, string>) {
    // BENCH_PROFILE_DIR writes V8 CPU profiles of sls offline (its main thread and writeUsers' worker)
    // there, to open in Chrome's DevTools: how the drain's time divides between emulator and function.
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE_DIR)}`] : [];
    const sls = ['offline', 'start', '--stage', stage, ...params, '--noSponsor'];
    this.child = spawn(process.execPath, [...profile, path.join(projectRoot, 'node_modules', 'serverless', 'bin', 'serverless.js'), ...sls], {
      cwd: projectRoot,
      env: { ...process.env, ...env, NODE_OPTIONS: offlineNodeOptions(process.env.NODE_OPTIONS) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Kept whole in .local/logs/bench-offline.log, to read when a run goes wrong; a log that cannot be
    // written is said once, not thrown (an unhandled stream error would end the run mid-measurement).
    const logFile = path.join(projectRoot, '.local', 'logs', 'bench-offline.log');
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const file = fs.createWriteStream(logFile);
    file.once('error', (error) => console.error(`[bench] sls offline's output is not kept in ${logFile}: ${error.message}`));
    const keep = (chunk: Buffer) => {
      file.write(chunk);
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
  }
  async waitFor(text: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`sls offline never printed "${text}":\n${this.output.slice(-2000)}`);
      await sleep(100);
    }
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

async function committed(admin: Admin, group: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

async function waitCommitted(admin: Admin, group: string, topic: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await committed(admin, group, topic)) < count) {
    if (Date.now() > deadline) throw new Error(`only ${await committed(admin, group, topic)} of ${count} records committed after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Produces `rate` records a second for `seconds`, in ticks of TICK_MS; returns each record's send time. */
async function produceAtRate(
  producer: Producer,
  encoder: CreatedUserEncoder,
  topic: string,
  rate: number,
  seconds: number,
  sent: Map<string, number>,
): Promise<void> {
  const perTick = Math.round((rate * TICK_MS) / 1000);
  const started = Date.now();
  for (let tick = 0; tick < (seconds * 1000) / TICK_MS; tick++) {
    await sleep(started + tick * TICK_MS - Date.now());
    const users = benchUsers(perTick);
    const now = Date.now();
    for (const user of users) sent.set(user.id, now);
    const values = encoder.encodeAll(users);
    await producer.send({ topic, messages: users.map((user, i) => ({ key: user.id, value: values[i], timestamp: String(now) })) });
  }
}

async function writeTimes(cassandra: Client, ids: string[]): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 100) {
    const result = await cassandra.execute(
      'SELECT id, WRITETIME(first_name) AS written FROM spark_streams.created_users WHERE id IN ?',
      [ids.slice(i, i + 100)],
      { prepare: true },
    );
    for (const row of result.rows) times.set(String(row.id), Number(row.written) / 1000);
  }
  return times;
}

export type DrainFigures = Pick<
  EndToEndFigures,
  | 'drainRecords'
  | 'drainPerSec'
  | 'drainFirstCommitMs'
  | 'drainWarmPerSec'
  | 'drainCores'
  | 'drainOfflineMicrosPerRow'
  | 'drainRawPerSec'
  | 'drainRawAfterPerSec'
  | 'drainRawCores'
  | 'batchSize'
  | 'maximumBatchingWindowMs'
>;

type Stack = Pick<PrivateStack, 'env' | 'pids'>;

/**
 * A topic of the benchmark's own, its leaders elected. BENCH_PARTITIONS: its partitions, 3 like the
 * local users_created; the mapping invokes once per partition at a time.
 */
export async function createBenchTopic(admin: Admin, topic: string): Promise<void> {
  await createTopicsWithLeaders(admin, [{ topic, numPartitions: Number(process.env.BENCH_PARTITIONS ?? 3) }]);
}

/** Publishes the users in slices of 1,000, each keyed by its id, with the values `encode` gives a slice. */
export async function publishBacklog(
  producer: Producer,
  topic: string,
  users: CreatedUser[],
  encode: (slice: CreatedUser[]) => Array<Buffer | string>,
): Promise<void> {
  for (let i = 0; i < users.length; i += 1000) {
    const slice = users.slice(i, i + 1000);
    const values = encode(slice);
    await producer.send({ topic, messages: slice.map((user, j) => ({ key: user.id, value: values[j] })) });
  }
}

/**
 * All three figures; with phases 'drain' (BENCH_ONLY=drain), the backlog drain alone, for profiling it;
 * 'drain-without-registry', the same drain of JSON records through a mapping without the registry:
 * what the emulator's deserialising costs (in AWS the mapping's pollers pay it, not the function).
 */
export function benchEndToEnd(kafka: Kafka, cassandra: Client, stack: Stack, log: (line: string) => void): Promise<EndToEndFigures>;
export function benchEndToEnd(
  kafka: Kafka,
  cassandra: Client,
  stack: Stack,
  log: (line: string) => void,
  phases: 'drain' | 'drain-without-registry',
): Promise<DrainFigures>;
export async function benchEndToEnd(
  kafka: Kafka,
  cassandra: Client,
  stack: Stack,
  log: (line: string) => void,
  phases: 'all' | 'drain' | 'drain-without-registry' = 'all',
): Promise<EndToEndFigures | DrainFigures> {
  const registry = phases !== 'drain-without-registry';
  const id = randomUUID().slice(0, 8);
  const topic = `bench-e2e-${id}`;
  const stage = `bench${id}`;
  const group = defaultConsumerGroupId(SERVICE, stage, 'writeUsers', topic);
  // The project's own serverless.yml, pointed at the benchmark's topic through stage parameters.
  const params = slsParams(topic, registry);
  const stageEvent = (
    JSON.parse(await slsPrint(stage, params)) as {
      functions: { writeUsers: { events: Array<{ kafka: { batchSize: number; maximumBatchingWindow: number } }> } };
    }
  ).functions.writeUsers.events[0].kafka;

  // Records as produceUsers publishes them: Avro in the registry's wire format, which the emulated
  // mapping's registry validates and deserialises on the way, as AWS's pollers would.
  const encoder = await openCreatedUserEncoder(new SchemaRegistryClient(stack.env.SCHEMA_REGISTRY_URL ?? DEFAULT_SCHEMA_REGISTRY_URL));
  const admin = kafka.admin();
  await admin.connect();
  await createBenchTopic(admin, topic);
  const producer = kafka.producer();
  await producer.connect();
  let offline: Offline | undefined;
  try {
    // 1. A backlog waiting before the pipeline starts.
    const backlog = benchUsers(DRAIN_RECORDS);
    await publishBacklog(producer, topic, backlog, (slice) => (registry ? encoder.encodeAll(slice) : slice.map((user) => JSON.stringify(user))));
    // 2. The baseline: the same rows inserted by the raw driver into the same table, emptied before and
    // after, so each starts from the same state (compaction on, as in the drain); once before the drain
    // and once after it (sls offline then idle), and the baseline is the two's mean.
    const profileDir = process.env.BENCH_PROFILE_DIR && path.resolve(process.env.BENCH_PROFILE_DIR);
    const profiled = async (name: string, work: () => Promise<void>) => {
      const stop = profileDir && stack.pids.cassandra ? await recordJvm(stack.pids.cassandra, path.join(profileDir, `cassandra-${name}.jfr`), name) : undefined;
      try {
        await work();
      } finally {
        await stop?.();
      }
    };
    const emptied = async () => {
      await cassandra.execute('TRUNCATE spark_streams.created_users', [], { readTimeout: 60_000 });
      await settled(stack.pids.cassandra);
    };
    const raw = async (when: 'before' | 'after') => {
      const rawCpu = measureCpu({ bench: process.pid, cassandra: stack.pids.cassandra });
      const rawStarted = Date.now();
      await profiled(`raw-${when}-${registry ? 'registry' : 'json'}`, () => rawInserts(cassandra, backlog));
      const perSec = Math.round((DRAIN_RECORDS / (Date.now() - rawStarted)) * 1000);
      const cores = rawCpu();
      log(`end to end: the raw driver inserted the backlog's ${DRAIN_RECORDS} rows at ${perSec}/s, ${when} the drain; cores busy ${JSON.stringify(cores)}`);
      await emptied();
      return { perSec, cores };
    };
    await emptied();
    const { perSec: drainRawPerSec, cores: drainRawCores } = await raw('before');

    offline = new Offline(stage, params, {
      ...stack.env,
      OFFLINE_HTTP_PORT: '3141',
      OFFLINE_LAMBDA_PORT: '3142',
      LOG_LEVEL: 'WARN',
    });
    await offline.waitFor(`[kafka-esm] writeUsers: consuming ${topic}`);
    const drainStarted = Date.now();
    const drainCpu = measureCpu({ offline: offline.pid, kafka: stack.pids.kafka, cassandra: stack.pids.cassandra, bench: process.pid });
    const drainThreads = offline.pid === undefined ? undefined : measureThreads(offline.pid);
    // The first commit follows writeUsers' cold start in sls offline (its worker thread, the bundle, the
    // Cassandra connection): the rate after it is the warm pipeline's, the one the raw driver's compares with.
    let firstCommitAt = 0;
    let committedAtFirst = 0;
    await profiled(`drain-${registry ? 'registry' : 'json'}`, async () => {
      await waitCommitted(admin, group, topic, 1, 600_000);
      firstCommitAt = Date.now();
      committedAtFirst = await committed(admin, group, topic);
      await waitCommitted(admin, group, topic, DRAIN_RECORDS, 600_000);
    });
    const drainEnded = Date.now();
    const drainPerSec = Math.round((DRAIN_RECORDS / (drainEnded - drainStarted)) * 1000);
    const drainWarmPerSec = Math.round(((DRAIN_RECORDS - committedAtFirst) / Math.max(1, drainEnded - firstCommitAt)) * 1000);
    const drainCores = drainCpu();
    const threads = drainThreads?.() ?? { main: Number.NaN, functions: Number.NaN, helpers: Number.NaN };
    const perRow = (seconds: number) => Math.round((seconds / DRAIN_RECORDS) * 1e7) / 10;
    const drainOfflineMicrosPerRow = { main: perRow(threads.main), functions: perRow(threads.functions), helpers: perRow(threads.helpers) };
    log(
      `end to end${registry ? '' : ', without the registry'}: drained ${DRAIN_RECORDS} records at ${drainPerSec}/s (first commit after ${firstCommitAt - drainStarted} ms, ${drainWarmPerSec}/s after it); cores busy ${JSON.stringify(drainCores)}; sls offline's CPU per row (µs) ${JSON.stringify(drainOfflineMicrosPerRow)}`,
    );
    await emptied();
    const { perSec: drainRawAfterPerSec } = await raw('after');

    const drain: DrainFigures = {
      drainRecords: DRAIN_RECORDS,
      drainPerSec,
      drainFirstCommitMs: firstCommitAt - drainStarted,
      drainWarmPerSec,
      drainCores,
      drainOfflineMicrosPerRow,
      drainRawPerSec,
      drainRawAfterPerSec,
      drainRawCores,
      batchSize: stageEvent.batchSize,
      // The window in effect: a 0 deploys (and is emulated) as AWS's 0.5 s default.
      maximumBatchingWindowMs: (stageEvent.maximumBatchingWindow || 0.5) * 1000,
    };
    if (phases !== 'all') return drain;

    // 3. A steady rate: latency from produce time to WRITETIME.
    const sent = new Map<string, number>();
    await produceAtRate(producer, encoder, topic, STEADY_RATE, STEADY_SECONDS, sent);
    await waitCommitted(admin, group, topic, DRAIN_RECORDS + sent.size, 120_000);
    const written = await writeTimes(cassandra, [...sent.keys()]);
    if (written.size !== sent.size) throw new Error(`${sent.size - written.size} of the steady-rate rows are missing`);
    const latencies = [...sent].map(([userId, at]) => written.get(userId)! - at);
    log(
      `end to end: ${STEADY_RATE}/s for ${STEADY_SECONDS} s, p50 ${Math.round(percentile(latencies, 50))} ms, p99 ${Math.round(percentile(latencies, 99))} ms`,
    );

    // 4. Steps upward until the lag grows.
    const steps: EndToEndFigures['steps'] = [];
    let produced = DRAIN_RECORDS + sent.size;
    for (const rate of STEP_RATES) {
      const stepSent = new Map<string, number>();
      await produceAtRate(producer, encoder, topic, rate, STEP_SECONDS, stepSent);
      produced += stepSent.size;
      const lagAtEnd = produced - (await committed(admin, group, topic));
      await waitCommitted(admin, group, topic, produced, 300_000);
      const stepWritten = await writeTimes(cassandra, [...stepSent.keys()]);
      const stepLatencies = [...stepSent].filter(([userId]) => stepWritten.has(userId)).map(([userId, at]) => stepWritten.get(userId)! - at);
      const [p50Ms, p99Ms] = [50, 99].map((p) => Math.round(percentile(stepLatencies, p)));
      // Held: at the end of the step, less than one second of records is waiting.
      steps.push({ ratePerSec: rate, lagAtEnd, held: lagAtEnd <= rate, p50Ms, p99Ms });
      log(`end to end: step ${rate}/s, lag at end ${lagAtEnd}, p50 ${p50Ms} ms, p99 ${p99Ms} ms`);
      if (lagAtEnd > rate) break;
    }
    return {
      ...drain,
      ratePerSec: STEADY_RATE,
      seconds: STEADY_SECONDS,
      p50Ms: Math.round(percentile(latencies, 50)),
      p95Ms: Math.round(percentile(latencies, 95)),
      p99Ms: Math.round(percentile(latencies, 99)),
      steps,
      maxSustainedPerSec: Math.max(0, ...steps.filter((s) => s.held).map((s) => s.ratePerSec)),
    };
  } finally {
    await offline?.stop();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  }
}
