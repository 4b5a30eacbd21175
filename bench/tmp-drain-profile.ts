// Not committed: profiles the end-to-end drain under sls offline.
import { Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { benchEndToEnd } from './end-to-end';
import { startPrivateStack } from './private-stack';

const log = (line: string) => process.stderr.write(`[prof] ${line}\n`);
async function main() {
  const stack = await startPrivateStack(log);
  const cassandra = new Client({ contactPoints: [stack.env.CASSANDRA_CONTACT_POINTS], localDataCenter: stack.env.CASSANDRA_LOCAL_DC });
  await cassandra.connect();
  const kafka = new Kafka({ clientId: 'prof', brokers: stack.env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  try {
    const figures = await benchEndToEnd(kafka, cassandra, stack, log);
    console.log(JSON.stringify(figures));
  } finally {
    await cassandra.shutdown();
    await stack.stop();
  }
}
main().catch((e) => { console.error(e); process.exitCode = 1; });
