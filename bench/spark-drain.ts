// The seed's Spark job (bench/spark/seed_spark_stream.py) draining a backlog like the pipeline's drain:
// the same records in the registry's format, on the same private stack, into the same emptied table.
// Spark comes from PyPI (bench/spark/requirements.txt, into .local/spark-python) and its connectors
// from Maven Central (infra/local/stack/jvm/spark-connectors/pom.xml), both on the first run.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import type { Kafka } from 'kafkajs';
import { CREATED_USER_SCHEMA } from '../contract/created-user-schema';
import { openCreatedUserEncoder } from '../functions/produce-users/created-user-encoder';
import { DEFAULT_SCHEMA_REGISTRY_URL, SchemaRegistryClient } from '../functions/shared/schema-registry';
import { rowCount } from '../infra/local/dev/pipeline-status';
import { findJava } from '../infra/local/stack/java';
import { ensureArtifacts } from '../infra/local/stack/jvm-artifacts';
import { projectRoot, stackSettings } from '../infra/local/stack/stack-settings';
import { ensurePythonEnvironment } from '../infra/local/tools/python-tools';
import { benchUsers } from './bench-users';
import { createBenchTopic, publishBacklog } from './end-to-end';
import type { PrivateStack } from './private-stack';
import { settled } from './process-cpu';
import { SIZES } from './sizes';

const REQUIREMENTS = path.join(projectRoot, 'bench', 'spark', 'requirements.txt');
const JOB = path.join(projectRoot, 'bench', 'spark', 'seed_spark_stream.py');
const PYTHON_DIR = path.join(projectRoot, '.local', 'spark-python');
const PYTHON = path.join(PYTHON_DIR, 'bin', 'python');
/** Spark 3.5 runs on Java 8, 11 and 17, the stack on 17 and newer: 17 is the one both take. */
const SPARK_JAVA = 17;

export interface SparkFigures {
  records: number;
  /**
   * Rows a second over the streaming query's run, from its start (the session ready) to its end: like the
   * pipeline's drain, counted from the mapping's start, it includes its own warm-up.
   */
  drainPerSec: number;
  /** Rows a second over its batches' writing alone (Spark's addBatch), without the query's planning: its warm rate. */
  writePerSec: number;
  /** Seconds from launching the job to its Spark session being ready (the JVM, the classpath). */
  startSeconds: number;
}

/** The connectors' jars pyspark does not ship itself: where both have a jar, pyspark's goes first on the classpath anyway. */
export function connectorJars(connectors: string[], pysparkJars: string[]): string[] {
  const artifact = (jar: string) => jar.replace(/-\d[\w.-]*\.jar$/, '');
  const shipped = new Set(pysparkJars.map(artifact));
  return connectors.filter((jar) => jar.endsWith('.jar') && !shipped.has(artifact(jar)));
}

function sparkJava(): string | undefined {
  const home = process.env.SPARK_JAVA_HOME;
  const java = findJava(home ? { ...process.env, JAVA_HOME: home } : process.env);
  if (java.major !== SPARK_JAVA) {
    throw new Error(
      `the seed's Spark job runs Spark 3.5, which needs Java ${SPARK_JAVA} at the newest, but ${java.bin} is Java ${java.major}: set SPARK_JAVA_HOME to a JDK ${SPARK_JAVA} and run the benchmark again.`,
    );
  }
  return home ?? process.env.JAVA_HOME;
}

interface JobOutput {
  startSeconds: number;
  querySeconds: number;
  writeSeconds: number;
  rows: number;
}

function runJob(args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<JobOutput> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(logFile);
    const child = spawn(PYTHON, [JOB, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      out.write(chunk);
    });
    child.stderr.pipe(out);
    child.once('error', reject);
    child.once('close', (code) => {
      out.end();
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`the seed's Spark job exited with ${code} and no figures; its output is in ${path.relative(projectRoot, logFile)}`));
        return;
      }
      resolve(JSON.parse(last) as JobOutput);
    });
  });
}

export async function benchSpark(
  kafka: Kafka,
  cassandra: Client,
  stack: Pick<PrivateStack, 'env' | 'pids' | 'settings'>,
  log: (line: string) => void,
): Promise<SparkFigures> {
  const javaHome = sparkJava();
  ensurePythonEnvironment(REQUIREMENTS, PYTHON_DIR, () => fs.existsSync(PYTHON), log);
  const connectorsDir = await ensureArtifacts('spark-connectors', stackSettings({}).dirs.lib, log);
  const pythonLib = fs.readdirSync(path.join(PYTHON_DIR, 'lib')).find((name) => name.startsWith('python'));
  const pysparkJarsDir = pythonLib && path.join(PYTHON_DIR, 'lib', pythonLib, 'site-packages', 'pyspark', 'jars');
  if (!pysparkJarsDir || !fs.existsSync(pysparkJarsDir))
    throw new Error(`pyspark's jars are missing from ${PYTHON_DIR}: delete that folder and run the benchmark again.`);
  const jars = connectorJars(fs.readdirSync(connectorsDir), fs.readdirSync(pysparkJarsDir)).map((jar) => path.join(connectorsDir, jar));

  const records = SIZES.drainRecords;
  const topic = `bench-spark-${randomUUID().slice(0, 8)}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-spark-'));
  const admin = kafka.admin();
  await admin.connect();
  await createBenchTopic(admin, topic);
  const producer = kafka.producer();
  await producer.connect();
  try {
    const encoder = await openCreatedUserEncoder(new SchemaRegistryClient(stack.env.SCHEMA_REGISTRY_URL ?? DEFAULT_SCHEMA_REGISTRY_URL));
    await publishBacklog(producer, topic, benchUsers(records), (slice) => encoder.encodeAll(slice));
    fs.writeFileSync(path.join(work, 'schema.json'), JSON.stringify(CREATED_USER_SCHEMA));
    await cassandra.execute('TRUNCATE spark_streams.created_users', [], { readTimeout: 60_000 });
    await settled(stack.pids.cassandra);

    const logFile = path.join(stackSettings({}).dirs.logs, 'bench-spark.log');
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const output = await runJob(
      [
        ...['--brokers', stack.settings.kafka.brokers.join(','), '--topic', topic, '--schema', path.join(work, 'schema.json')],
        ...['--cassandra-host', stack.settings.cassandra.host, '--cassandra-port', String(stack.settings.cassandra.port)],
        ...['--checkpoint', path.join(work, 'checkpoint'), '--jars', jars.join(',')],
        // BENCH_SPARK_CONF=key=value,…: Spark settings over the seed's defaults, for trying a tuned job.
        ...(process.env.BENCH_SPARK_CONF?.split(',')
          .filter(Boolean)
          .flatMap((setting) => ['--conf', setting.trim()]) ?? []),
      ],
      { ...process.env, ...(javaHome ? { JAVA_HOME: javaHome } : {}), PYSPARK_PYTHON: PYTHON },
      logFile,
    );
    const written = await rowCount(cassandra);
    if (output.rows !== records || written !== records) {
      throw new Error(
        `the seed's Spark job read ${output.rows} records and left ${written} rows of the ${records} published; its output is in ${path.relative(projectRoot, logFile)}`,
      );
    }
    const figures = {
      records,
      drainPerSec: Math.round(records / output.querySeconds),
      writePerSec: Math.round(records / output.writeSeconds),
      startSeconds: Math.round(output.startSeconds * 10) / 10,
    };
    log(
      `the seed's Spark job: drained ${records} records at ${figures.drainPerSec}/s (${figures.writePerSec}/s in its batches' writing) after ${figures.startSeconds} s of starting`,
    );
    return figures;
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
