// `npm run status`: what the local pipeline is doing. Lag per partition for each event-source
// mapping, rows in spark_streams.created_users, and records waiting on the dead-letter topic
// (pipeline-status.ts reads them; the console at `npm start` shows the same figures).
import { Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import topics from '../../../contract/topics.json';
import { deadLetterCount, describeRegistry, describeRowCount, mappingStatus, registryStatus, rowCount } from './pipeline-status';
import { SchemaRegistryClient } from '../../../functions/shared/schema-registry';
import { resolvedMappings } from './resolved-service';
import { cassandraClientOptions, stackSettings } from '../stack/stack-settings';
import { StackError } from '../stack/stack-error';
import { readCommandLine } from '../../command-line';

const USAGE = `npm run status: what the local pipeline is doing

Per event-source mapping its committed offsets and lag, the rows in spark_streams.created_users, and the
records on the dead-letter topic, and the record's subject in the schema registry. Reads the stack that
KAFKA_BROKERS, CASSANDRA_CONTACT_POINTS and SCHEMA_REGISTRY_URL name.`;

async function main(): Promise<void> {
  readCommandLine({ usage: USAGE });
  const settings = stackSettings();
  const brokers = settings.kafka.brokers;
  const admin = new Kafka({ clientId: 'status', brokers, logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
  const cassandra = new Client(cassandraClientOptions(settings.cassandra));
  console.log(
    `Kafka ${brokers.join(',')} · Cassandra ${settings.cassandra.contactPoints.join(',')} (${settings.cassandra.localDc}) · schema registry ${settings.schemaRegistry.url}${settings.nodes > 1 ? ` · ${settings.nodes}-node cluster` : ''}\n`,
  );
  try {
    await admin.connect().catch(() => {
      throw new StackError(`Kafka does not answer on ${brokers.join(',')}: start the stack with npm run stack:up (or npm start).`);
    });
    for (const mapping of resolvedMappings()) {
      const status = await mappingStatus(admin, mapping);
      console.log(`${status.functionKey} ← ${status.topic}  (group ${status.consumerGroupId})`);
      console.log('  partition  committed  end      lag');
      for (const p of status.partitions) {
        console.log(
          `  ${String(p.partition).padEnd(9)}  ${(p.committed === undefined ? 'none' : String(p.committed)).padEnd(9)}  ${String(p.end).padEnd(7)}  ${p.lag}`,
        );
      }
      console.log(`  total lag ${status.totalLag}\n`);
    }
    console.log(`${topics.usersDeadLetter.name}: ${await deadLetterCount(admin)} record(s)`);
    console.log(`schema registry ${describeRegistry(await registryStatus(new SchemaRegistryClient(settings.schemaRegistry.url, { timeoutMs: 3000 })))}`);

    await cassandra.connect().catch(() => {
      throw new StackError(`Cassandra does not answer on ${settings.cassandra.contactPoints.join(',')}: start the stack with npm run stack:up.`);
    });
    console.log(`spark_streams.created_users: ${describeRowCount(await rowCount(cassandra))}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
    await cassandra.shutdown().catch(() => undefined);
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
