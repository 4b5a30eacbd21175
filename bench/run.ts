// `npm run bench`: how fast the pipeline is, each figure beside a baseline measured in the same run.
// Sections: cold start and bundle size (sls package), the writer against the raw driver, the writer's
// memory, the producer against Kafka's own perf test and a bare KafkaJS producer, and the pipeline end
// to end under sls offline. Prints a table; writes bench/results/latest.json and latest.svg.
// Runs on a private stack of its own (bench/private-stack.ts), never on the developer's tables.
// BENCH_ROUNDS (default 5) sets the rounds. BENCH_ONLY=writer,drain (any of the section names; drain
// is the end-to-end backlog drain alone) runs those sections alone and prints their figures without
// touching bench/results: for trying a change.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { cassandraClientOptions, projectRoot } from '../infra/local/stack/stack-settings';
import { renderChart } from './chart';
import { coldStart, packageFunctions } from './cold-start';
import { benchEndToEnd, type DrainFigures, type EndToEndFigures } from './end-to-end';
import { writerPeakRssMb } from './memory';
import { benchProducer } from './producer';
import { startPrivateStack, type PrivateStack } from './private-stack';
import { benchWriter, warmUp, type WriterFigures } from './writer';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECTIONS = ['coldStart', 'writer', 'memory', 'producer', 'drain', 'endToEnd'] as const;
type Section = (typeof SECTIONS)[number];
const RESULTS = path.join(projectRoot, 'bench', 'results');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function versionOf(pom: string, property: string): string {
  return new RegExp(`<${property}>([^<]+)</${property}>`).exec(fs.readFileSync(path.join(projectRoot, 'infra', 'local', 'stack', 'jvm', pom, 'pom.xml'), 'utf8'))?.[1] ?? 'unknown';
}

function machine() {
  // java -version prints to stderr.
  const java = execFileSync('sh', ['-c', 'java -version 2>&1'], { encoding: 'utf8' });
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    jdk: /version "([^"]+)"/.exec(java)?.[1],
    kafka: versionOf('kafka', 'kafka.version'),
    cassandra: versionOf('cassandra', 'cassandra.version'),
  };
}

function onlySections(): Section[] | undefined {
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!only || only.length === 0) return undefined;
  const unknown = only.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names no section called ${unknown.join(', ')}; the sections are ${SECTIONS.join(', ')}.`);
  return only as Section[];
}

interface Measured {
  coldStart?: Awaited<ReturnType<typeof coldStart>>;
  writer?: WriterFigures[];
  memory?: ReturnType<typeof writerPeakRssMb>;
  producer?: Awaited<ReturnType<typeof benchProducer>>;
  drain?: DrainFigures & { drainRatio: number; drainBaselinePerSec: number };
  endToEnd?: EndToEndFigures & { drainRatio: number; drainBaselinePerSec: number };
}

/**
 * Runs the given sections in order. The drain's baseline is the raw driver's rate on the 10,000 batch
 * when the writer ran, else the settled rate of a warm-up (with the table emptied after it).
 */
async function measure(sections: readonly Section[], cassandra: Client, kafka: Kafka, stack: PrivateStack): Promise<Measured> {
  const runs = (section: Section) => sections.includes(section);
  const measured: Measured = {};
  const packaged = runs('coldStart') || runs('memory') ? packageFunctions() : undefined;
  if (packaged && runs('coldStart')) {
    log('cold start: sls package --stage example-msk, 20 loads of each zip in a bare Node 22');
    measured.coldStart = await coldStart(packaged);
  }
  if (runs('writer')) {
    log('writer: 100, 1,000 and 10,000 records against the raw driver');
    measured.writer = await benchWriter(cassandra, stack.pids.cassandra, ROUNDS, log);
  }
  if (packaged && runs('memory')) {
    log('memory: the packaged writeUsers on one 10,000-record batch');
    measured.memory = writerPeakRssMb(packaged.handlerOf('writeUsers'), { POWERTOOLS_SERVICE_NAME: 'writeUsers', ...stack.env });
  }
  if (runs('producer')) {
    log('producer: produceUsers path, kafka-producer-perf-test, bare KafkaJS');
    measured.producer = await benchProducer(kafka, stack.settings, ROUNDS, log);
  }
  if (runs('drain') || runs('endToEnd')) {
    let baseline = measured.writer?.find((w) => w.records === 10_000)?.rawDriverPerSec;
    if (baseline === undefined) {
      baseline = await warmUp(cassandra, log);
      await cassandra.execute('TRUNCATE spark_streams.created_users', [], { readTimeout: 60_000 });
    }
    const against = { drainBaselinePerSec: Math.round(baseline) };
    const ratio = (perSec: number) => Math.round((perSec / baseline) * 100) / 100;
    if (runs('drain')) {
      log('end to end under sls offline: backlog drain alone');
      const drain = await benchEndToEnd(kafka, cassandra, stack, log, 'drain');
      measured.drain = { ...drain, drainRatio: ratio(drain.drainPerSec), ...against };
    }
    if (runs('endToEnd')) {
      log('end to end under sls offline: backlog drain, steady rate, steps');
      const endToEnd = await benchEndToEnd(kafka, cassandra, stack, log);
      measured.endToEnd = { ...endToEnd, drainRatio: ratio(endToEnd.drainPerSec), ...against };
    }
  }
  return measured;
}

async function main(): Promise<void> {
  const only = onlySections();
  log('starting a private Kafka and Cassandra on free ports');
  const stack = await startPrivateStack(log);
  // Ctrl-C (or a CI timeout) must not leave the private Kafka and Cassandra running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the private stack`);
      void stack.stop().finally(() => process.exit(130));
    });
  }
  const { settings } = stack;
  const cassandra = new Client(cassandraClientOptions(settings.cassandra));
  await cassandra.connect();
  const kafka = new Kafka({ clientId: 'bench', brokers: settings.kafka.brokers, logLevel: logLevel.NOTHING });
  try {
    if (only) {
      console.log(JSON.stringify(await measure(only, cassandra, kafka, stack), null, 2));
      log(`BENCH_ONLY=${only.join(',')}: bench/results left as they were`);
      return;
    }
    const measured = await measure(['coldStart', 'writer', 'memory', 'producer', 'endToEnd'], cassandra, kafka, stack);
    const writer = measured.writer!;
    const writer10k = writer.find((w) => w.records === 10_000)!;
    const producer = measured.producer!;
    const endToEnd = measured.endToEnd!;

    const results = {
      at: new Date().toISOString(),
      commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim(),
      machine: machine(),
      rounds: ROUNDS,
      writer: { handlerPerSec: writer10k.handlerPerSec, rawDriverPerSec: writer10k.rawDriverPerSec, ratio: writer10k.ratio.median, ratioSpread: writer10k.ratio, batches: writer },
      producer: { ...producer, ratio: producer.ratio.median, ratioSpread: producer.ratio, kafkajsRatio: producer.kafkajsRatio.median },
      endToEnd,
      coldStart: measured.coldStart!,
      memory: { writer10kPeakRssMb: measured.memory!.peakRssMb },
    };
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(path.join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    const m = results.machine;
    fs.writeFileSync(
      path.join(RESULTS, 'latest.svg'),
      renderChart(
        [
          ...writer.map((w) => ({ label: `writer, ${w.records} records`, ...w.ratio, goal: w.records === 10_000 ? 0.9 : undefined })),
          { label: 'producer / perf-test', ...producer.ratio },
          { label: 'producer / KafkaJS', ...producer.kafkajsRatio },
          { label: 'drain / raw driver', median: results.endToEnd.drainRatio, min: results.endToEnd.drainRatio, max: results.endToEnd.drainRatio, goal: 0.6 },
        ],
        [
          { label: `p50 at ${endToEnd.ratePerSec}/s`, ms: endToEnd.p50Ms },
          { label: 'p95', ms: endToEnd.p95Ms },
          { label: 'p99', ms: endToEnd.p99Ms },
        ],
        1000,
        `${results.at.slice(0, 10)} · ${results.commit} · ${m.cores} cores, ${m.memoryGb} GiB · Node ${m.node} · JDK ${m.jdk} · Kafka ${m.kafka} · Cassandra ${m.cassandra} · Kafka and Cassandra on the same machine`,
      ),
    );
    printTable(results);
  } finally {
    await cassandra.shutdown();
    await stack.stop();
  }
}

function printTable(r: {
  writer: {
    batches: Array<{
      records: number;
      handlerPerSec: number;
      rawDriverPerSec: number;
      ratio: { median: number; min: number; max: number };
      decodeMs: number;
      nodeMicrosPerRow: { handler: number; rawDriver: number };
      handlerCores: { node: number; cassandra: number };
      rawDriverCores: { node: number; cassandra: number };
    }>;
  };
  producer: { handlerPerSec: number; kafkaPerfTestPerSec: number; kafkajsPerSec: number; ratio: number; kafkajsRatio: number; recordBytes: number };
  endToEnd: { drainPerSec: number; drainFirstCommitMs: number; drainWarmPerSec: number; drainRatio: number; drainCores: Record<string, number>; p50Ms: number; p95Ms: number; p99Ms: number; maxSustainedPerSec: number; ratePerSec: number };
  coldStart: Record<string, { zipBytes: number; handlerBytes: number; initMs: number }>;
  memory: { writer10kPeakRssMb: number };
}): void {
  const rows: string[][] = [['figure', 'value', 'baseline', 'ratio (min–max)']];
  for (const w of r.writer.batches) {
    rows.push([`writer, ${w.records} records`, `${w.handlerPerSec} rows/s`, `raw driver ${w.rawDriverPerSec} rows/s`, `×${w.ratio.median.toFixed(2)} (${w.ratio.min.toFixed(2)}–${w.ratio.max.toFixed(2)})`]);
  }
  const w10k = r.writer.batches.at(-1)!;
  rows.push([
    '  cores busy, 10,000 records',
    `node ${w10k.handlerCores.node} + cassandra ${w10k.handlerCores.cassandra}`,
    `node ${w10k.rawDriverCores.node} + cassandra ${w10k.rawDriverCores.cassandra}`,
    `decode alone ${w10k.decodeMs} ms`,
  ]);
  rows.push(['  Node CPU per row, no Cassandra', `${w10k.nodeMicrosPerRow.handler} µs`, `${w10k.nodeMicrosPerRow.rawDriver} µs`, '']);
  rows.push(['producer (5,000 users)', `${r.producer.handlerPerSec} records/s`, `perf-test ${r.producer.kafkaPerfTestPerSec}/s`, `×${r.producer.ratio.toFixed(2)}`]);
  rows.push(['', '', `bare KafkaJS ${r.producer.kafkajsPerSec}/s`, `×${r.producer.kafkajsRatio.toFixed(2)}`]);
  rows.push(['backlog drain (npm start)', `${r.endToEnd.drainPerSec} rows/s`, 'raw driver, 10,000 batch', `×${r.endToEnd.drainRatio.toFixed(2)}`]);
  rows.push(['  after the first commit', `${r.endToEnd.drainWarmPerSec} rows/s`, `first commit at ${r.endToEnd.drainFirstCommitMs} ms`, '']);
  const { total, machineCores, ...cores } = r.endToEnd.drainCores;
  rows.push(['  cores busy, drain', Object.entries(cores).map(([name, n]) => `${name} ${n}`).join(' + '), `${total} of ${machineCores}`, '']);
  rows.push([`latency at ${r.endToEnd.ratePerSec}/s`, `p50 ${r.endToEnd.p50Ms} · p95 ${r.endToEnd.p95Ms} · p99 ${r.endToEnd.p99Ms} ms`, '', '']);
  rows.push(['highest rate held', `${r.endToEnd.maxSustainedPerSec} records/s`, '', '']);
  for (const [fn, c] of Object.entries(r.coldStart)) rows.push([`cold start ${fn}`, `${c.initMs} ms init`, `zip ${(c.zipBytes / 1024).toFixed(0)} KB, handler.js ${(c.handlerBytes / 1024).toFixed(0)} KB`, '']);
  rows.push(['writer peak RSS, 10,000 batch', `${r.memory.writer10kPeakRssMb} MB`, '', '']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
  console.log(`\nwritten to bench/results/latest.json and bench/results/latest.svg`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
