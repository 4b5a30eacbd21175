// The cluster (STACK_NODES=3, `npm run test:cluster`) as the stack provisions it, held to what it
// stands for in AWS: topics replicated three times with min.insync.replicas 2 (MSK's defaults), a
// keyspace with three replicas in the datacenter (Keyspaces'), and writeUsers' own Cassandra client
// reaching every node on the cluster's client port, which is not 9042 (Keyspaces' is 9142): the
// deploy issue's peer-port defect, on three real nodes.
import type { Client } from 'cassandra-driver';
import { ConfigResourceTypes } from 'kafkajs';
import topics from '../../contract/topics.json';
import { loadWriterConfig } from '../../functions/shared/config';
import { createCassandraClient } from '../../functions/write-users/cassandra-client';
import { stackSettings } from '../../infra/local/stack/stack-settings';
import { testCassandra, testKafka } from '../support/services';
import { until } from '../support/until';

const settings = stackSettings();

describe('the three-node stack', () => {
  it('is a cluster: this suite runs only on one (STACK_NODES=3)', () => {
    expect(settings.nodes).toBe(3);
  });

  it("connects writeUsers' client to all three Cassandra nodes on 19042, given only the first", async () => {
    const [first] = settings.cassandra.contactPoints;
    const client: Client = await createCassandraClient(
      loadWriterConfig({ CASSANDRA_CONTACT_POINTS: first, CASSANDRA_LOCAL_DC: settings.cassandra.localDc }).cassandra,
    );
    try {
      await client.connect();
      // The driver opens its pools in the background after connect.
      await until(() => client.getState().getConnectedHosts().length === 3, 30_000);
      expect(
        client
          .getState()
          .getConnectedHosts()
          .map((host) => host.address)
          .sort(),
      ).toEqual(['127.0.0.1:19042', '127.0.0.2:19042', '127.0.0.3:19042']);
    } finally {
      await client.shutdown();
    }
  });

  it('replicates the keyspace three times in the datacenter, with NetworkTopologyStrategy', async () => {
    const client = testCassandra();
    try {
      const row = (await client.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'spark_streams'")).first();
      expect(row.replication).toEqual({ class: 'org.apache.cassandra.locator.NetworkTopologyStrategy', datacenter1: '3' });
    } finally {
      await client.shutdown();
    }
  });

  it('replicates both topics on the three brokers, min.insync.replicas 2', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const names = [topics.usersCreated.name, topics.usersDeadLetter.name];
      const metadata = await admin.fetchTopicMetadata({ topics: names });
      for (const topic of metadata.topics) {
        for (const partition of topic.partitions) expect([...partition.replicas].sort()).toEqual([1, 2, 3]);
      }
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['min.insync.replicas'] })),
      });
      expect(configs.resources.map((resource) => [resource.resourceName, resource.configEntries[0].configValue])).toEqual(names.map((name) => [name, '2']));
    } finally {
      await admin.disconnect();
    }
  });
});
