import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { LocalStack } from '../../infra/local/stack/local-stack';
import { sleep } from '../../infra/local/stack/managed-process';
import type { KafkaBatchResponse, LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { recordsOf } from '../../contract/lambda-kafka-event';
import { recordedUsers } from '../../infra/local/users-api/recorded-users';
import type { RandomUser } from '../../functions/produce-users/random-user';
import { captureOutput, loadFunction, type LoadedFunction } from '../support/lambda';
import { loadEvent } from '../support/load-event';
import { drill, freezeEach, signalEach } from '../support/drill';
import { BROKERS, CONTACT_POINTS, testCassandra } from '../support/services';

const HANDLER = path.resolve(__dirname, '../../functions/write-users/handler');
const stack = new LocalStack(undefined, () => undefined);

drill(stack.cassandra.process, 'Cassandra')('writeUsers when Cassandra freezes during a batch', () => {
  let cassandra: Client;
  let fn: LoadedFunction<unknown, KafkaBatchResponse>;
  const ids = (recordedUsers() as RandomUser[]).map((raw) => raw.login.uuid);
  const event = loadEvent<LambdaKafkaEvent>('write-users.self-managed.json');

  beforeAll(async () => {
    cassandra = testCassandra();
    await cassandra.execute('DELETE FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true });
    fn = loadFunction(HANDLER, {
      KAFKA_BROKERS: BROKERS.join(','),
      CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(','),
      CASSANDRA_REQUEST_TIMEOUT_MS: '1500',
    });
    // Warm container: connected before the fault, as in a running pipeline.
    await fn.invoke(loadEvent('write-users.msk.json'));
    await cassandra.execute('DELETE FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true });
  });
  afterAll(async () => {
    signalEach(stack.cassandraNodes, 'SIGCONT');
    await fn.close();
    await cassandra.shutdown();
  });

  it('reports no success for unwritten records, and the retried batch writes them all after recovery', async () => {
    let frozen;
    try {
      await freezeEach(stack.cassandraNodes);
      frozen = await captureOutput(() => fn.invoke(event));
    } finally {
      signalEach(stack.cassandraNodes, 'SIGCONT');
    }
    // Nothing was stored, so the invocation fails and the mapping retries the whole batch.
    expect(frozen.error).toMatchObject({ name: 'BatchNotWrittenError' });
    expect(frozen.result).toBeUndefined();
    expect(frozen.output).toContain(`"Failed":${recordsOf(event).length}`);

    while (!(await stack.cassandra.answers())) await sleep(500);
    await expect(fn.invoke(event)).resolves.toEqual({ batchItemFailures: [] });
    const count = await cassandra.execute('SELECT COUNT(*) AS n FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true });
    expect(Number(count.first().n)).toBe(ids.length);
  });
});
