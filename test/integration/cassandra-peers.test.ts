// writeUsers' Cassandra client on a cluster whose nodes listen for clients on a port other than 9042,
// as Amazon Keyspaces' do (9142): given one node, the driver must reach the peer it learns from
// system.peers on that port too. Before the fix it tried every peer on 9042 and wrote over one
// connection. Two nodes of its own, on 127.0.0.4 and 127.0.0.5 (clear of the three-node stack's
// 127.0.0.1-3, so it runs beside one), in a temporary directory. test/cluster/ holds the same
// client to all three nodes of the cluster.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { createCassandraClient } from '../../functions/write-users/cassandra-client';
import { loadWriterConfig } from '../../functions/shared/config';
import { CassandraNode } from '../../infra/local/stack/cassandra-node';
import { findJava } from '../../infra/local/stack/java';
import { stackSettings } from '../../infra/local/stack/stack-settings';

const NATIVE_PORT = 19042;
const HOSTS = ['127.0.0.4', '127.0.0.5'];
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cassandra-peers-'));
const lib = stackSettings({}).dirs.lib;
const nodes = HOSTS.map((host) => {
  const settings = stackSettings({
    LOCAL_STACK_DIR: path.join(root, host),
    CASSANDRA_CONTACT_POINTS: `${host}:${NATIVE_PORT}`,
    CASSANDRA_SEEDS: `${HOSTS[0]}:7000`,
  });
  return new CassandraNode({ ...settings, dirs: { ...settings.dirs, lib } });
});

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s; see ${root}/*/logs`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

describe('writeUsers’ Cassandra client on a two-node cluster on port 19042', () => {
  let client: Client;

  beforeAll(async () => {
    const java = findJava();
    // One after the other: a node joins through the seed, which must be up first.
    for (const node of nodes) {
      await node.launch(java, () => undefined);
      await until(() => node.answers(), `${node.endpoint.host}:${NATIVE_PORT} did not answer`);
    }
    const seed = nodes[0];
    await until(async () => {
      const probe = await createCassandraClient(loadWriterConfig({ CASSANDRA_CONTACT_POINTS: `${seed.endpoint.host}:${NATIVE_PORT}` }).cassandra);
      try {
        await probe.connect();
        return (await probe.execute('SELECT peer FROM system.peers')).rowLength === 1;
      } catch {
        return false;
      } finally {
        await probe.shutdown();
      }
    }, 'the second node did not join the first');
  }, 600_000);

  afterAll(async () => {
    await client?.shutdown();
    for (const node of nodes) await node.process.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('connects to both nodes on 19042, given only the first', async () => {
    client = await createCassandraClient(loadWriterConfig({ CASSANDRA_CONTACT_POINTS: `${HOSTS[0]}:${NATIVE_PORT}` }).cassandra);
    await client.connect();
    // The driver opens its pools in the background after connect; give it the time a write would.
    await until(async () => client.getState().getConnectedHosts().length === 2, 'the driver did not connect to both nodes', 30_000).catch(() => undefined);
    const hosts = client
      .getState()
      .getConnectedHosts()
      .map((host) => host.address)
      .sort();
    expect(hosts).toEqual(HOSTS.map((host) => `${host}:${NATIVE_PORT}`));
  });
});
