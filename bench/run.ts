// `npm run bench`: the pipeline's write and publish paths measured side by side with the raw client
// doing the same work, in the same process, on the same rows. Prints figures and their ratio to the
// baseline, and writes them to .local/bench/results.json. Starts the native stack if nothing answers.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'cassandra-driver';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { INSERT_CREATED_USER } from '../functions/lib/cassandra/created-users-table';
import { writeUsers } from '../functions/lib/cassandra/write-users';
import { publishUsers } from '../functions/lib/kafka/publish-users';
import { openIdempotentProducer } from '../functions/lib/kafka/shared-producer';
import { CREATED_USER_FIELDS, type CreatedUser } from '../functions/lib/users/created-user';
import { checkRandomUser } from '../functions/lib/users/random-user';
import { toCreatedUser } from '../functions/lib/users/to-created-user';
import { LocalStack } from '../infra/local/local-stack';
import { recordedUsers } from '../infra/random-user-stand-in/recorded-users';

const ROWS = Number(process.env.BENCH_ROWS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 32;
// Publishes go to a topic of their own, so a running `npm start` never consumes benchmark rows.
const BENCH_TOPIC = 'users_created.bench';

function users(count: number): CreatedUser[] {
  const base = recordedUsers().map((record) => {
    const check = checkRandomUser(record);
    if (!check.ok) throw new Error(check.reason);
    return toCreatedUser(check.user);
  });
  return Array.from({ length: count }, (_, i) => ({ ...base[i % base.length], id: randomUUID() }));
}

interface Figure {
  name: string;
  medianMs: number;
  rowsPerSecond: number;
}

async function measure(name: string, rows: number, work: () => Promise<unknown>): Promise<Figure> {
  await work(); // warm-up: prepared statements, connections, JIT
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const medianMs = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  return { name, medianMs, rowsPerSecond: Math.round((rows / medianMs) * 1000) };
}

/** The same inserts without the pipeline: prepared statement, CONCURRENCY in flight. */
async function rawInserts(client: Client, rows: CreatedUser[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const user = rows[next++];
      await client.execute(INSERT_CREATED_USER, CREATED_USER_FIELDS.map((f) => user[f]), { prepare: true });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function writeDeletes(client: Client, rows: CreatedUser[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) {
    const ids = rows.slice(i, i + 100).map((row) => row.id);
    await client.execute('DELETE FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true });
  }
}

async function main(): Promise<void> {
  const stack = new LocalStack();
  if (!(await stack.isReady())) await stack.up();
  const { kafka: k, cassandra: c } = stack.settings;
  const rows = users(ROWS);

  const client = new Client({ contactPoints: [`${c.host}:${c.port}`], localDataCenter: c.localDc, queryOptions: { prepare: true } });
  await client.connect();
  const kafka = new Kafka({ clientId: 'bench', brokers: [`${k.host}:${k.port}`], logLevel: logLevel.NOTHING });
  const pipelineProducer = await openIdempotentProducer(kafka);
  const rawProducer = kafka.producer();
  await rawProducer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: BENCH_TOPIC, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();

  try {
    const rawWrite = await measure('cassandra-driver inserts (baseline)', ROWS, () => rawInserts(client, rows));
    const pipelineWrite = await measure('writeUsers path (executeConcurrent)', ROWS, () => writeUsers(client, rows, CONCURRENCY));
    const rawPublish = await measure('kafkajs send, acks=1, no compression (baseline)', ROWS, () =>
      rawProducer.send({ topic: BENCH_TOPIC, acks: 1, messages: rows.map((u) => ({ key: u.id, value: JSON.stringify(u) })) }),
    );
    const pipelinePublish = await measure('produceUsers path (idempotent, acks=all, gzip)', ROWS, () => publishUsers(pipelineProducer, rows, BENCH_TOPIC));
    const gzipOnly = await measure('kafkajs send, acks=all, gzip', ROWS, () =>
      rawProducer.send({ topic: BENCH_TOPIC, acks: -1, compression: CompressionTypes.GZIP, messages: rows.map((u) => ({ key: u.id, value: JSON.stringify(u) })) }),
    );

    const report = (figure: Figure, baseline: Figure) =>
      console.log(`  ${figure.name.padEnd(50)} ${figure.medianMs.toFixed(1).padStart(8)} ms  ${String(figure.rowsPerSecond).padStart(8)} rows/s  ×${(baseline.medianMs / figure.medianMs).toFixed(2)} of baseline speed`);
    console.log(`\n${ROWS} rows, median of ${ROUNDS} rounds after a warm-up (BENCH_ROWS, BENCH_ROUNDS)\n\nCassandra writes`);
    report(rawWrite, rawWrite);
    report(pipelineWrite, rawWrite);
    console.log('\nKafka publishes');
    report(rawPublish, rawPublish);
    report(gzipOnly, rawPublish);
    report(pipelinePublish, rawPublish);

    const out = path.resolve(__dirname, '..', '.local', 'bench');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(
      path.join(out, 'results.json'),
      JSON.stringify({ at: new Date().toISOString(), rows: ROWS, rounds: ROUNDS, figures: [rawWrite, pipelineWrite, rawPublish, gzipOnly, pipelinePublish] }, null, 2),
    );
    console.log(`\nwritten to ${path.relative(process.cwd(), path.join(out, 'results.json'))}`);
  } finally {
    // Remove the benchmark's rows, and only those: the table may hold a developer's data.
    await writeDeletes(client, rows);
    await Promise.all([client.shutdown(), pipelineProducer.disconnect(), rawProducer.disconnect()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
