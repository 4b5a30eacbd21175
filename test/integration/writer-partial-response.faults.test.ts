// writeUsers' partial batch response through the event-source emulator, end to end: the real handler,
// the real Cassandra frozen for a moment mid-batch so that some rows of the batch time out while the
// rest are written, and the emulator retrying from the right offsets until every row is in.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { CompressionTypes } from 'kafkajs';
import type { KafkaBatchResponse, LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { LocalStack } from '../../infra/local/stack/local-stack';
import { sleep } from '../../infra/local/stack/managed-process';
import { KafkaEventSourceEmulator, type InvokeOutcome } from '../../infra/local/kafka-emulator/kafka-event-source-emulator';
import { drill, signalEach } from '../support/drill';
import { mappingFor } from '../support/emulator-mapping';
import rows from '../support/expected-rows.json';
import { loadFunction } from '../support/lambda';
import { BROKERS, CONTACT_POINTS, testCassandra, testKafka } from '../support/services';
import { createTopicsWithLeaders } from '../../infra/local/stack/topics-with-leaders';

const HANDLER = path.resolve(__dirname, '../../functions/write-users/handler');
const stack = new LocalStack(undefined, () => undefined);
const RECORDS = 2000;

drill(stack.cassandra.process, 'Cassandra')("writeUsers' partial response through the emulator", () => {
  let cassandra: Client;
  afterAll(async () => {
    signalEach(stack.cassandraNodes, 'SIGCONT');
    await cassandra?.shutdown();
  });

  it('retries each partition from its lowest failed offset, and every row lands', async () => {
    cassandra = testCassandra();
    const kafka = testKafka();
    const topic = `partial-${randomUUID().slice(0, 8)}`;
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsWithLeaders(admin, [{ topic, numPartitions: 1 }]);

    const ids = Array.from({ length: RECORDS }, () => randomUUID());
    const producer = kafka.producer();
    await producer.connect();
    // Compressed, as every producer of the project sends: uncompressed, the batch passes the broker's 1 MB.
    await producer.send({
      topic,
      compression: CompressionTypes.GZIP,
      messages: ids.map((id, i) => ({ key: id, value: JSON.stringify({ ...rows[i % rows.length], id }) })),
    });
    await producer.disconnect();

    // One row at a time and a short timeout: a batch takes seconds, and a frozen node fails the
    // rows in flight within one second each, while the rows before and after are written.
    const fn = loadFunction<LambdaKafkaEvent, KafkaBatchResponse>(HANDLER, {
      KAFKA_BROKERS: BROKERS.join(','),
      CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(','),
      CASSANDRA_WRITE_CONCURRENCY: '1',
      CASSANDRA_REQUEST_TIMEOUT_MS: '1000',
    });
    const invocations: Array<{ offsets: number[]; failed: number[] }> = [];
    let frozen = false;
    const emulator = new KafkaEventSourceEmulator(
      mappingFor(topic, { batchSize: 1000, reportBatchItemFailures: true, bisectBatchOnFunctionError: true, maximumRetryAttempts: 10 }),
      {
        invoke: async (_name, event): Promise<InvokeOutcome> => {
          const offsets = Object.values(event.records)
            .flat()
            .map((r) => r.offset);
          if (!frozen) {
            // The first batch: freeze Cassandra once it is under way, for longer than the timeout
            // (a write, idempotent, is tried on each node in turn: on a cluster, a timeout per node).
            frozen = true;
            void sleep(300).then(async () => {
              signalEach(stack.cassandraNodes, 'SIGSTOP');
              await sleep(2500 * stack.cassandraNodes.length);
              signalEach(stack.cassandraNodes, 'SIGCONT');
            });
          }
          try {
            const response = await fn.invoke(event);
            invocations.push({ offsets, failed: response.batchItemFailures.map((f) => Number(f.itemIdentifier.offset)) });
            return { ok: true, response };
          } catch (error) {
            invocations.push({ offsets, failed: offsets });
            return { ok: false, error: String(error) };
          }
        },
        log: () => undefined,
        retryDelayMs: () => 100,
      },
    );
    await emulator.start();
    try {
      const deadline = Date.now() + 90_000;
      const end = async () => Number((await admin.fetchTopicOffsets(topic))[0].high);
      const committed = async () => Number((await admin.fetchOffsets({ groupId: `group-${topic}`, topics: [topic] }))[0].partitions[0].offset);
      while ((await committed()) < (await end()) && Date.now() < deadline) await sleep(250);
    } finally {
      await emulator.stop();
      await fn.close();
      await admin.disconnect();
    }

    // The partial path ran: an invocation wrote part of its batch and reported the rest.
    const partial = invocations.findIndex(({ offsets, failed }) => failed.length > 0 && failed.length < offsets.length);
    expect(partial).toBeGreaterThanOrEqual(0);
    // AWS retries from the lowest failed offset: the next invocation starts there, and runs to the
    // end of the failed batch (records after a failure are delivered again).
    const { offsets, failed } = invocations[partial];
    const retry = invocations[partial + 1];
    expect(retry.offsets[0]).toBe(Math.min(...failed));
    expect(retry.offsets).toEqual(expect.arrayContaining(offsets.filter((o) => o >= Math.min(...failed))));

    // Every row is in Cassandra, once (ids are the primary key; count them in pages of 100).
    let found = 0;
    for (let i = 0; i < ids.length; i += 100) {
      const page = await cassandra.execute('SELECT id FROM spark_streams.created_users WHERE id IN ?', [ids.slice(i, i + 100)], { prepare: true });
      found += page.rowLength;
    }
    expect(found).toBe(RECORDS);
  }, 150_000);
});
