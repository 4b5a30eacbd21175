// `npm run status`: what the local pipeline is doing. Lag per partition for each event-source
// mapping, rows in spark_streams.created_users, and records waiting on the dead-letter topic.
import { Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import topics from '../../functions/lib/contract/topics.json';
import { resolvedMappings } from './resolved-service';
import { stackSettings } from './stack-settings';
import { StackError } from './stack-error';

async function main(): Promise<void> {
  const settings = stackSettings();
  const brokers = settings.kafka.brokers;
  const admin = new Kafka({ clientId: 'status', brokers, logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
  const cassandra = new Client({ contactPoints: [`${settings.cassandra.host}:${settings.cassandra.port}`], localDataCenter: settings.cassandra.localDc });
  console.log(`Kafka ${brokers.join(',')} · Cassandra ${settings.cassandra.host}:${settings.cassandra.port} (${settings.cassandra.localDc})\n`);
  try {
    await admin.connect().catch(() => {
      throw new StackError(`Kafka does not answer on ${brokers.join(',')}: start the stack with npm run stack:up (or npm start).`);
    });
    for (const mapping of resolvedMappings()) {
      const ends = await admin.fetchTopicOffsets(mapping.topic);
      const [committed] = await admin.fetchOffsets({ groupId: mapping.consumerGroupId, topics: [mapping.topic] });
      console.log(`${mapping.functionKey} ← ${mapping.topic}  (group ${mapping.consumerGroupId})`);
      console.log('  partition  committed  end      lag');
      let total = 0;
      for (const end of ends.sort((a, b) => a.partition - b.partition)) {
        const at = committed.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        const lag = Number(end.high) - (at === '-1' ? Number(end.low) : Number(at));
        total += lag;
        console.log(`  ${String(end.partition).padEnd(9)}  ${(at === '-1' ? 'none' : at).padEnd(9)}  ${end.high.padEnd(7)}  ${lag}`);
      }
      console.log(`  total lag ${total}\n`);
    }
    const dlq = await admin.fetchTopicOffsets(topics.usersDeadLetter.name);
    const dead = dlq.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    console.log(`${topics.usersDeadLetter.name}: ${dead} record(s)`);

    await cassandra.connect().catch(() => {
      throw new StackError(`Cassandra does not answer on ${settings.cassandra.host}:${settings.cassandra.port}: start the stack with npm run stack:up.`);
    });
    const rows = await cassandra.execute('SELECT COUNT(*) AS n FROM spark_streams.created_users');
    console.log(`spark_streams.created_users: ${rows.first().n} row(s)`);
  } finally {
    await admin.disconnect().catch(() => undefined);
    await cassandra.shutdown().catch(() => undefined);
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
