// What every fault drill shares: the pipeline run as users run it (`npm start`: sls offline, the
// Kafka event-source emulator, writeUsers), thousands of records pushed onto users_created (valid and
// poison mixed, with ids of their own) by produceUsers' own producer, and the count at the end: valid
// ids in Cassandra, poison on users_created.dlq (distinct by its dlq-source-* headers; copies
// counted), copies of each key on users_created, the batches writeUsers reported failed, and nothing
// lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import type { Kafka } from 'kafkajs';
import { openIdempotentProducer, sendAll } from '../../functions/shared/producer';
import { invocationTrace, TRACEPARENT_HEADER } from '../../functions/shared/trace-context';
import { toDeadLetterEntry, type DeadLetterEntry } from '../../infra/local/dlq/dead-letter-entry';
import { readTopic } from '../../infra/local/dlq/topic-reader';
import { sleep } from '../../infra/local/stack/managed-process';
import rows from '../support/expected-rows.json';
import { encodeUser } from '../support/registry';
import type { CreatedUser } from '../../functions/shared/created-user';
import { BROKERS, CONTACT_POINTS, topicEnd, type TopicPosition } from '../support/services';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

export interface DrillResult {
  drill: string;
  recordsIn: number;
  rowsOut: number;
  deadLettered: number;
  /** Extra copies of poison on the dead-letter topic (a retried batch dead-letters again). */
  duplicates: number;
  /** Valid records dead-lettered: must be none. */
  validDeadLettered: number;
  lost: number;
  /** Copies of each of the drill's keys on users_created, fewest and most: 1–1 when nothing was published twice. */
  messagesPerKey: { min: number; max: number };
  /** Invocations the emulator logged as failed or partial while the drill ran: retried, not lost. */
  failedBatches: number;
  recoverSeconds: number;
  note?: string;
  /** The drill's own promise (no failed batch, one message per key) was broken. */
  broken?: boolean;
  /** Poison dead letters that do not carry the trace of the run that published them: must be none. */
  untraced?: number;
  /** One poison dead letter and the run that published it, to show the trace end to end. */
  traced?: { letter: DeadLetterEntry; run: PublishRun };
}

/** One slice of a drill's records, published as one produceUsers run publishes: under one trace. */
export interface PublishRun {
  /** The X-Ray header Lambda's runtime would have given the run (_X_AMZN_TRACE_ID). */
  xrayHeader: string;
  traceparent: string;
  traceId: string;
  records: number;
}

/** `npm start` in its own process group, so a drill can kill the whole tree at once. */
export class Pipeline {
  output = '';
  private child: ChildProcess | undefined;

  constructor(private readonly env: Record<string, string>) {}

  /** Where the output is now: what follows belongs to whatever happens next. */
  mark(): number {
    return this.output.length;
  }

  /** writeUsers' invocations logged since `from` as partial or error (the emulator's own log lines). */
  failedBatchesSince(from: number): number {
    return this.output
      .slice(from)
      .split('\n')
      .filter((line) => /\[kafka-esm\] writeUsers: .* ms (partial|error)/.test(line)).length;
  }

  /** writeUsers' WriteLatency figures (its CloudWatch EMF lines) between two marks, in milliseconds. */
  writeLatenciesBetween(from: number, to: number): number[] {
    return [...this.output.slice(from, to).matchAll(/"service":"writeUsers","WriteLatency":(\d+)/g)].map((match) => Number(match[1]));
  }

  async start(): Promise<void> {
    const from = this.output.length;
    this.child = spawn(TSX, ['infra/local/dev/start.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, KAFKA_BROKERS: BROKERS.join(','), CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(','), CONSOLE_PORT: '0', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child.stdout!.on('data', (chunk) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk) => (this.output += chunk));
    const deadline = Date.now() + 120_000;
    while (!this.output.slice(from).includes('[kafka-esm] writeUsers: consuming users_created')) {
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${this.output.slice(-3000)}`);
      await sleep(250);
    }
  }

  /** The whole process tree, at once, as a crash or `kill -9` would. */
  kill(): void {
    if (this.child?.pid) process.kill(-this.child.pid, 'SIGKILL');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGINT');
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface Batch {
  valid: string[];
  poison: string[];
  from: { created: TopicPosition; dlq: TopicPosition };
  /** The run that published each key, once published. */
  runs?: Map<string, PublishRun>;
}

type DrillMessage = { key: string; value: string | Buffer; headers: Record<string, string> };

/**
 * Poison of both kinds: bytes the mapping's registry refuses (not the wire format; JSON from a
 * producer that skipped the registry), dead-lettered by the mapping, and a record the registry
 * accepts but the table cannot take (an id that is no UUID), dead-lettered by writeUsers.
 */
const POISON: Array<(id: string) => Promise<DrillMessage>> = [
  async (id) => ({ key: id, value: 'not json at all', headers: {} }),
  async (id) => ({ key: id, value: JSON.stringify({ ...rows[0], id, email: 42 }), headers: {} }),
  async (id) => ({ key: id, value: await encodeUser({ ...(rows[1] as unknown as CreatedUser), id: 'not-a-uuid' }), headers: {} }),
];

/** Records of this drill only: fresh ids, one poison in every `poisonEvery`. */
export async function plan(kafka: Kafka, valid: number, poisonEvery = 10): Promise<{ batch: Batch; messages: DrillMessage[] }> {
  const messages: DrillMessage[] = [];
  const batch: Batch = { valid: [], poison: [], from: { created: await topicEnd(kafka, 'users_created'), dlq: await topicEnd(kafka, 'users_created.dlq') } };
  for (let i = 0; i < valid; i++) {
    const id = randomUUID();
    batch.valid.push(id);
    messages.push({ key: id, value: await encodeUser({ ...(rows[i % rows.length] as unknown as CreatedUser), id }), headers: {} });
    if (i % poisonEvery === poisonEvery - 1) {
      const poisonKey = `poison-${randomUUID()}`;
      batch.poison.push(poisonKey);
      messages.push(await POISON[batch.poison.length % POISON.length](poisonKey));
    }
  }
  return { batch, messages };
}

/** An X-Ray trace header as Lambda's runtime sets it for an invocation: Root=1-<epoch hex>-<24 hex>;Parent;Sampled. */
function lambdaXrayHeader(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

/**
 * Publishes in slices, so the fault lands while records are still arriving, with the producer
 * produceUsers publishes with (idempotent, one request in flight, Java's partitioner). Each slice is
 * one run: its records carry the traceparent produceUsers derives from its invocation's X-Ray header
 * (the poison too, which produceUsers itself would refuse to publish), and `batch.runs` remembers it.
 */
export async function publish(kafka: Kafka, messages: DrillMessage[], batch?: Batch, slices = 10, pauseMs = 300): Promise<void> {
  const producer = await openIdempotentProducer(kafka);
  try {
    const size = Math.ceil(messages.length / slices);
    for (let i = 0; i < messages.length; i += size) {
      const slice = messages.slice(i, i + size);
      const xrayHeader = lambdaXrayHeader();
      const run: PublishRun = { xrayHeader, ...invocationTrace(xrayHeader), records: slice.length };
      const traced = slice.map((message) => ({ ...message, headers: { ...message.headers, [TRACEPARENT_HEADER]: run.traceparent } }));
      if (batch) for (const message of slice) (batch.runs ??= new Map()).set(message.key, run);
      // A publish that meets a restarting broker is retried, as produceUsers' next run would. A send
      // that failed may have written some partitions first, and the idempotent producer takes a new
      // send of them for new records: only the keys not on the topic yet are sent again, or the
      // drill would count its own retry as a key published twice.
      let pending: DrillMessage[] = traced;
      for (let attempt = 1; pending.length > 0; attempt++) {
        try {
          await sendAll(producer, { topic: 'users_created', acks: -1, messages: pending });
          break;
        } catch (error) {
          if (attempt >= 30) throw error;
          await sleep(1000);
          if (batch) pending = await notYetPublished(kafka, batch, pending);
        }
      }
      await sleep(pauseMs);
    }
  } finally {
    await producer.disconnect();
  }
}

/** The messages whose keys are not on users_created since the drill began (read until it answers). */
async function notYetPublished(kafka: Kafka, batch: Batch, messages: DrillMessage[]): Promise<DrillMessage[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const onTopic = await readTopic(kafka, 'users_created', new Map(batch.from.created.map((p) => [p.partition, p.offset])));
      const keys = new Set(onTopic.map((record) => record.key?.toString()));
      return messages.filter((message) => !keys.has(message.key));
    } catch (error) {
      if (attempt >= 30) throw error;
      await sleep(1000);
    }
  }
}

async function storedIds(cassandra: Client, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 100) {
    const page = await cassandra.execute('SELECT id FROM spark_streams.created_users WHERE id IN ?', [ids.slice(i, i + 100)], { prepare: true });
    for (const row of page.rows) found.add(row.id.toString());
  }
  return found;
}

/** Copies of each key of `keys` on users_created since the drill began. */
async function messagesPerKey(kafka: Kafka, batch: Batch): Promise<{ min: number; max: number }> {
  const keys = [...batch.valid, ...batch.poison];
  const copies = new Map<string, number>(keys.map((key) => [key, 0]));
  const messages = await readTopic(kafka, 'users_created', new Map(batch.from.created.map((p) => [p.partition, p.offset]))).catch(() => []);
  for (const message of messages) {
    const key = message.key?.toString();
    if (key !== undefined && copies.has(key)) copies.set(key, copies.get(key)! + 1);
  }
  const counts = [...copies.values()];
  return { min: Math.min(...counts), max: Math.max(...counts) };
}

/** The count, taken until nothing is missing or the deadline passes. */
export async function account(kafka: Kafka, cassandra: Client, drill: string, batch: Batch, recoveredFrom: number, deadlineMs = 180_000): Promise<DrillResult> {
  const deadline = Date.now() + deadlineMs;
  const poison = new Set(batch.poison);
  const valid = new Set(batch.valid);
  for (;;) {
    const found = await storedIds(cassandra, batch.valid).catch(() => new Set<string>());
    const letters = await readTopic(kafka, 'users_created.dlq', new Map(batch.from.dlq.map((p) => [p.partition, p.offset]))).catch(() => []);
    // Both kinds of dead letter are keyed as the original: writeUsers' poison and the mapping's on-failure records.
    const ours = letters
      .map(toDeadLetterEntry)
      .filter((r) => r.original.key !== null && (poison.has(r.original.key.toString()) || valid.has(r.original.key.toString())));
    const poisonLetters = ours.filter((r) => poison.has(r.original.key!.toString()));
    const distinct = new Set(poisonLetters.map((r) => `${r.source.partition}:${r.source.offset}`));
    // Each dead letter names the run that published its record; writeUsers' own (not the mapping's) first.
    const runOf = (letter: DeadLetterEntry) => batch.runs?.get(letter.original.key!.toString());
    const untraced = batch.runs ? poisonLetters.filter((letter) => !letter.traceId || letter.traceId !== runOf(letter)?.traceId).length : undefined;
    const example = [...poisonLetters].sort((a, b) => Number(b.writer === 'writeUsers') - Number(a.writer === 'writeUsers')).find((letter) => runOf(letter));
    const result: DrillResult = {
      drill,
      recordsIn: batch.valid.length + batch.poison.length,
      rowsOut: found.size,
      deadLettered: distinct.size,
      duplicates: ours.filter((r) => poison.has(r.original.key!.toString())).length - distinct.size,
      validDeadLettered: ours.filter((r) => valid.has(r.original.key!.toString())).length,
      lost: batch.valid.length - found.size + (batch.poison.length - distinct.size),
      messagesPerKey: { min: 0, max: 0 },
      failedBatches: 0,
      recoverSeconds: (Date.now() - recoveredFrom) / 1000,
      ...(untraced === undefined ? {} : { untraced }),
      ...(example ? { traced: { letter: example, run: runOf(example)! } } : {}),
    };
    if (result.lost === 0 || Date.now() > deadline) return { ...result, messagesPerKey: await messagesPerKey(kafka, batch) };
    await sleep(1000);
  }
}

export function table(results: DrillResult[]): string {
  const header = [
    'drill',
    'records in',
    'rows out',
    'dead-lettered',
    'duplicates',
    'valid on dlq',
    'lost',
    'messages per key',
    'failed batches',
    'time to recover',
  ];
  const perKey = ({ min, max }: DrillResult['messagesPerKey']) => (min === max ? String(min) : `${min}–${max}`);
  const lines = results.map((r) =>
    [
      r.drill,
      r.recordsIn,
      r.rowsOut,
      r.deadLettered,
      r.duplicates,
      r.validDeadLettered,
      r.lost,
      perKey(r.messagesPerKey),
      r.failedBatches,
      `${r.recoverSeconds.toFixed(1)} s`,
    ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [row(header), `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...lines.map(row)].join('\n');
}
