// The producer: produceUsers' real path (fetch from the Random User stand-in on loopback, validate,
// format, publish with the idempotent producer, acks=all, gzip) against Kafka's own
// kafka-producer-perf-test (org.apache.kafka.tools.ProducerPerformance, same Kafka version) and a bare
// KafkaJS producer, with the same records, acks and compression, alternated round by round.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompressionTypes, type Kafka } from 'kafkajs';
import { publishUsers } from '../functions/produce-users/publish-users';
import { openCreatedUserEncoder } from '../functions/produce-users/created-user-encoder';
import { SchemaRegistryClient } from '../functions/shared/schema-registry';
import { openIdempotentProducer } from '../functions/shared/producer';
import { fetchAndPublishUsers } from '../functions/produce-users/fetch-and-publish';
import { RandomUserClient } from '../functions/produce-users/random-user-client';
import { classpath, ensureArtifacts } from '../infra/local/stack/jvm-artifacts';
import { findJava } from '../infra/local/stack/java';
import type { StackSettings } from '../infra/local/stack/stack-settings';
import { RandomUserStandIn } from '../infra/local/users-api/random-user-stand-in';
import { invocationTrace, TRACEPARENT_HEADER } from '../functions/shared/trace-context';
import { benchUsers } from './bench-users';
import { SIZES } from './sizes';
import { median, perSecond, spread, timeMs, type Spread } from './stats';
import { createTopicsWithLeaders } from '../infra/local/stack/topics-with-leaders';

export const BENCH_TOPIC = 'users_created.bench';
/** One Random User API page: what a run of up to 5,000 users fetches in one request. */
const PRODUCER_RECORDS = SIZES.producerRecords;

export interface ProducerFigures {
  records: number;
  recordBytes: number;
  handlerPerSec: number;
  kafkaPerfTestPerSec: number;
  kafkajsPerSec: number;
  /** handler ÷ kafka-producer-perf-test, per round. */
  ratio: Spread;
  /** handler ÷ bare KafkaJS, per round. */
  kafkajsRatio: Spread;
  /** publishUsers alone (encode, frame, send) on the users already fetched: the path the goal is about. */
  publishPathPerSec: number;
  /** publish path ÷ bare KafkaJS on the same records, per round. */
  publishPathRatio: Spread;
}

// One run's trace, as produceUsers carries it: the same bytes per record as in Lambda.
const BENCH_TRACE = invocationTrace(undefined);

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const meter = { count: () => undefined, milliseconds: () => undefined };

function perfTest(settings: StackSettings, lib: string, payloadFile: string): number {
  const java = findJava();
  const result = spawnSync(
    java.bin,
    [
      '-cp',
      classpath(lib),
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      BENCH_TOPIC,
      '--num-records',
      String(PRODUCER_RECORDS),
      '--throughput',
      '-1',
      '--payload-file',
      payloadFile,
      '--producer-props',
      `bootstrap.servers=${settings.kafka.brokers.join(',')}`,
      'acks=all',
      'compression.type=gzip',
      'enable.idempotence=true',
    ],
    { encoding: 'utf8' },
  );
  const summary = /(\d+) records sent, ([\d.]+) records\/sec/.exec(result.stdout.trim().split('\n').at(-1) ?? '');
  if (result.status !== 0 || !summary) throw new Error(`kafka-producer-perf-test failed:\n${result.stdout.slice(-800)}\n${result.stderr.slice(-800)}`);
  return Number(summary[2]);
}

export async function benchProducer(kafka: Kafka, settings: StackSettings, rounds: number, log: (line: string) => void): Promise<ProducerFigures> {
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsWithLeaders(admin, [{ topic: BENCH_TOPIC, numPartitions: 3 }]);
  const kafkaLib = await ensureArtifacts('kafka', settings.dirs.lib, () => undefined);
  const standIn = new RandomUserStandIn();
  const url = await standIn.start();
  const pipelineProducer = await openIdempotentProducer(kafka);
  const bare = kafka.producer();
  await bare.connect();
  // The records the API serves, as produceUsers publishes them: the perf test sends these bytes too.
  // The same bytes both ways: each user in the registry's wire format, as produceUsers publishes it.
  const encoder = await openCreatedUserEncoder(new SchemaRegistryClient(settings.schemaRegistry.url));
  const users = benchUsers(PRODUCER_RECORDS);
  const encoded = encoder.encodeAll(users);
  // The records produceUsers publishes, headers included: KafkaJS spends about 3 µs a record on the
  // trace header alone (a fresh zero-filled buffer per header), so a baseline without it is not
  // sending the same records.
  const records = users.map((user, i) => ({ key: user.id, value: encoded[i], headers: { [TRACEPARENT_HEADER]: BENCH_TRACE.traceparent } }));
  // Kafka's perf test reads one payload per line of text: it gets the users as JSON.
  const jsonLines = users.slice(0, 200).map((user) => JSON.stringify(user));
  const payloadFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-payload-')), 'payloads.txt');
  fs.writeFileSync(payloadFile, jsonLines.join('\n'));
  // The deployed default of 4 attempts: a kept-alive socket the stand-in closed while Kafka's perf test
  // ran between rounds can reset the next request (ECONNRESET), which produceUsers retries as it
  // would in AWS; one attempt failed the whole benchmark on it.
  const client = new RandomUserClient({ url, usersPerRun: PRODUCER_RECORDS, requestTimeoutMs: 10_000, maxAttempts: 4, budgetMs: 60_000 });
  const handler = async () => {
    const summary = await fetchAndPublishUsers({
      fetchUsers: () => client.fetchUsers(),
      publish: (fetched) => publishUsers(pipelineProducer, encoder, fetched, { topic: BENCH_TOPIC, traceparent: BENCH_TRACE.traceparent }),
      brokers: settings.kafka.brokers,
      logger: quiet,
      meter,
    });
    if (summary.published !== PRODUCER_RECORDS) throw new Error(`published ${summary.published} of ${PRODUCER_RECORDS}`);
  };
  const kafkajs = () => bare.send({ topic: BENCH_TOPIC, acks: -1, compression: CompressionTypes.GZIP, messages: records });
  // The handler's figure includes fetching 5,000 users from the stand-in (generated in this process)
  // and checking them; this one is the publish path alone, on the same users bare KafkaJS sends.
  const publishPath = () => publishUsers(pipelineProducer, encoder, users, { topic: BENCH_TOPIC, traceparent: BENCH_TRACE.traceparent });
  try {
    await handler();
    await kafkajs();
    await publishPath();
    perfTest(settings, kafkaLib, payloadFile);
    const handlerRates: number[] = [];
    const perfRates: number[] = [];
    const kafkajsRates: number[] = [];
    const publishRates: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const steps = [
        async () => handlerRates.push(perSecond(PRODUCER_RECORDS, await timeMs(handler))),
        async () => kafkajsRates.push(perSecond(PRODUCER_RECORDS, await timeMs(kafkajs))),
        async () => publishRates.push(perSecond(PRODUCER_RECORDS, await timeMs(publishPath))),
        async () => perfRates.push(perfTest(settings, kafkaLib, payloadFile)),
      ];
      for (const step of round % 2 ? steps.reverse() : steps) await step();
    }
    const figures: ProducerFigures = {
      records: PRODUCER_RECORDS,
      recordBytes: Math.round(records.reduce((sum, r) => sum + r.value.length, 0) / records.length),
      handlerPerSec: Math.round(median(handlerRates)),
      kafkaPerfTestPerSec: Math.round(median(perfRates)),
      kafkajsPerSec: Math.round(median(kafkajsRates)),
      ratio: spread(handlerRates.map((rate, i) => rate / perfRates[i])),
      kafkajsRatio: spread(handlerRates.map((rate, i) => rate / kafkajsRates[i])),
      publishPathPerSec: Math.round(median(publishRates)),
      publishPathRatio: spread(publishRates.map((rate, i) => rate / kafkajsRates[i])),
    };
    log(
      `producer: handler ${figures.handlerPerSec}/s, publish path ${figures.publishPathPerSec}/s (×${figures.publishPathRatio.median.toFixed(2)} of bare KafkaJS, ${figures.publishPathRatio.min.toFixed(2)}–${figures.publishPathRatio.max.toFixed(2)}), perf-test ${figures.kafkaPerfTestPerSec}/s, kafkajs ${figures.kafkajsPerSec}/s`,
    );
    return figures;
  } finally {
    await Promise.all([pipelineProducer.disconnect(), bare.disconnect(), standIn.stop()]);
    await admin.deleteTopics({ topics: [BENCH_TOPIC] }).catch(() => undefined);
    await admin.disconnect();
  }
}
