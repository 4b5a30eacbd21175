// `npm run bench`: how fast the pipeline is, each figure beside a baseline measured in the same run.
// Sections: cold start and bundle size (sls package), the writer against the raw driver, the writer's
// memory, the producer against Kafka's own perf test and a bare KafkaJS producer, and the pipeline end
// to end under sls offline, and the seed's Spark job draining the same backlog. Prints a table; writes bench/results/latest.json and latest.svg.
// Runs on a private stack of its own (bench/private-stack.ts), never on the developer's tables.
// BENCH_SIZE=small runs every section once on a few thousand records and fails when a section did
// not produce a figure (CI runs it; bench/results stays as it was). BENCH_ONLY=writer,drain (any of the
// section names; drain is the end-to-end backlog drain alone) runs those sections alone and prints
// their figures without touching bench/results: for trying a change. bench/sizes.ts has the sizes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { cassandraClientOptions, projectRoot } from '../infra/local/stack/stack-settings';
import { renderChart } from './chart';
import { coldStart, packageFunctions } from './cold-start';
import { benchEndToEnd, type DrainFigures } from './end-to-end';
import { writerPeakRssMb } from './memory';
import { consoleTable, figureRows, withFigures } from './report';
import { scalingSection, withScaling } from './scaling/report';
import { drainAgainstRaw, missingFigures, toResults, type BenchResults, type Measured } from './results';
import { SIZES } from './sizes';
import { readCommandLine } from '../infra/command-line';
import { benchProducer } from './producer';
import { startPrivateStack, type PrivateStack } from './private-stack';
import { benchSpark } from './spark-drain';
import { benchWriter, warmUp } from './writer';

const ROUNDS = SIZES.rounds;
const SECTIONS = ['coldStart', 'writer', 'memory', 'producer', 'drain', 'endToEnd', 'spark'] as const;
type Section = (typeof SECTIONS)[number];
const RESULTS = path.join(projectRoot, 'bench', 'results');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function versionOf(pom: string, property: string): string {
  return (
    new RegExp(`<${property}>([^<]+)</${property}>`).exec(
      fs.readFileSync(path.join(projectRoot, 'infra', 'local', 'stack', 'jvm', pom, 'pom.xml'), 'utf8'),
    )?.[1] ?? 'unknown'
  );
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
  const only = process.env.BENCH_ONLY?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!only || only.length === 0) return undefined;
  const unknown = only.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names no section called ${unknown.join(', ')}; the sections are ${SECTIONS.join(', ')}.`);
  return only as Section[];
}

/**
 * Runs the given sections in order. Each drain's baseline is the raw driver inserting the drain's own
 * rows, measured in the same section just before it.
 */
async function measure(sections: readonly Section[], cassandra: Client, kafka: Kafka, stack: PrivateStack): Promise<Measured> {
  const runs = (section: Section) => sections.includes(section);
  const measured: Measured = {};
  const packaged = runs('coldStart') || runs('memory') ? packageFunctions() : undefined;
  if (packaged && runs('coldStart')) {
    log(`cold start: sls package --stage example-msk, ${SIZES.coldStartLoads} loads of each zip in a bare Node 24`);
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
    // Cassandra warmed as for the writer's figures, when the writer did not run before.
    if (!measured.writer) {
      await warmUp(cassandra, log);
      await cassandra.execute('TRUNCATE spark_streams.created_users', [], { readTimeout: 60_000 });
    }
    // Each drain against the raw driver inserting the same rows into the same emptied table, just before it.
    const against = (drain: DrainFigures) => {
      const { baselinePerSec, ratio } = drainAgainstRaw(drain);
      return { drainBaselinePerSec: Math.round(baselinePerSec), drainRatio: Math.round(ratio.median * 100) / 100 };
    };
    const registryCost = async (drainPerSec: number) => {
      log('end to end under sls offline: the same backlog of JSON records, the mapping without the registry');
      const plain = await benchEndToEnd(kafka, cassandra, stack, log, 'drain-without-registry');
      return { drainWithoutRegistryPerSec: plain.drainPerSec, registryDrainRatio: Math.round((drainPerSec / plain.drainPerSec) * 100) / 100 };
    };
    if (runs('drain')) {
      log('end to end under sls offline: backlog drain alone');
      const drain = await benchEndToEnd(kafka, cassandra, stack, log, 'drain');
      measured.drain = { ...drain, ...against(drain), ...(await registryCost(drain.drainPerSec)) };
    }
    if (runs('endToEnd')) {
      log('end to end under sls offline: backlog drain, steady rate, steps');
      const endToEnd = await benchEndToEnd(kafka, cassandra, stack, log);
      measured.endToEnd = { ...endToEnd, ...against(endToEnd), ...(await registryCost(endToEnd.drainPerSec)) };
    }
  }
  if (runs('spark')) {
    log("the seed's Spark job: a backlog of the same records, drained by Spark Structured Streaming into the same table");
    measured.spark = await benchSpark(kafka, cassandra, stack, log);
  }
  return measured;
}

const USAGE = `npm run bench: how fast the pipeline is, each figure beside a baseline from the same run

Runs on a private Kafka and Cassandra; writes bench/results/latest.json, latest.svg and the table in
docs/benchmarks.md. Settings (environment): BENCH_ONLY=${SECTIONS.join(',')} (those sections alone,
results untouched), BENCH_SIZE=small (every section once, small: CI), BENCH_ROUNDS, BENCH_DRAIN_RECORDS,
BENCH_STEADY_SECONDS, BENCH_BATCH_SIZE, BENCH_WINDOW_SECONDS, BENCH_PARTITIONS, BENCH_PROFILE_DIR,
BENCH_SPARK_CONF (Spark settings over the seed's job's defaults), SPARK_JAVA_HOME (a JDK 17 for Spark).`;

async function main(): Promise<void> {
  readCommandLine({ usage: USAGE });
  const only = onlySections();
  log(`starting a private Kafka and Cassandra on free ports (${SIZES.name} size)`);
  const stack = await startPrivateStack(log);
  // Ctrl-C (or a CI timeout), or an error no section caught, must not leave the private Kafka and
  // Cassandra running: the `finally` below does not run when the process dies of either.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the private stack`);
      void stack.stop().finally(() => process.exit(130));
    });
  }
  let failed = false;
  process.on('uncaughtException', (error) => {
    console.error(error);
    // Another error while stopping (a worker's, say) must not end the process before the stack is down.
    if (failed) return;
    failed = true;
    log('stopping the private stack after the error above');
    void stack.stop().finally(() => process.exit(1));
  });
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
    // A small run also drains alone, as BENCH_ONLY=drain does, so that section cannot rot either.
    const sections: Section[] = SIZES.name === 'small' ? [...SECTIONS] : ['coldStart', 'writer', 'memory', 'producer', 'endToEnd', 'spark'];
    const measured = await measure(sections, cassandra, kafka, stack);
    const results = toResults(measured, {
      at: new Date().toISOString(),
      commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim(),
      size: SIZES.name,
      machine: machine(),
      rounds: ROUNDS,
    });
    console.log(consoleTable(figureRows(results)));
    const drainAlone = sections.includes('drain') && !Number.isFinite(measured.drain?.drainPerSec) ? ['drain.drainPerSec'] : [];
    const missing = [...missingFigures(results), ...drainAlone];
    if (missing.length > 0) throw new Error(`the benchmark produced no ${missing.join(', ')}: a section no longer measures what it did`);
    if (SIZES.name === 'small') {
      const file = path.join(projectRoot, '.local', 'bench', 'small.json');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
      // The scaling model is computed from them too, so a figure it reads cannot go missing unseen.
      console.log(scalingSection(results, projectRoot));
      console.log(`\nevery section produced its figures (${sections.join(', ')}); a small run's values mean nothing: ${path.relative(projectRoot, file)}`);
      return;
    }
    writeResults(results);
    console.log('\nwritten to bench/results/latest.json, bench/results/latest.svg, docs/benchmarks.md and docs/scaling.md');
  } finally {
    await cassandra.shutdown();
    await stack.stop();
  }
}

function writeResults(results: BenchResults): void {
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const { writer, producer, endToEnd, machine: m } = results;
  fs.writeFileSync(
    path.join(RESULTS, 'latest.svg'),
    renderChart(
      [
        ...writer.batches.map((w) => ({ label: `writer, ${w.records} records`, ...w.ratio, goal: w.records === 10_000 ? 0.9 : undefined })),
        { label: 'producer / perf-test', ...producer.ratioSpread },
        { label: 'producer / KafkaJS', ...producer.kafkajsRatioSpread, goal: 0.8 },
        { label: 'drain / raw driver', ...drainAgainstRaw(endToEnd).ratio, goal: 0.6 },
        { label: "drain / seed's Spark job", median: results.spark.ratio, min: results.spark.ratio, max: results.spark.ratio, goal: 2 },
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
  const doc = path.join(projectRoot, 'docs', 'benchmarks.md');
  fs.writeFileSync(doc, withFigures(fs.readFileSync(doc, 'utf8'), results));
  const scaling = path.join(projectRoot, 'docs', 'scaling.md');
  fs.writeFileSync(scaling, withScaling(fs.readFileSync(scaling, 'utf8'), scalingSection(results, projectRoot)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
