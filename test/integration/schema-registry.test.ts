// The stack's registry: bound to the loopback only, the contract's subject registered by the stack's
// provisioning, and its schemas and ids kept across a restart (they live in a Kafka topic): every
// record on users_created names an id, and a registry that forgot them would fail them all.
import { execFileSync } from 'node:child_process';
import { CREATED_USER_SCHEMA, CREATED_USER_SUBJECT, schemaText } from '../../contract/created-user-schema';
import { LocalStack } from '../../infra/local/stack/local-stack';
import { localRegistry } from '../support/registry';
import { testKafka } from '../support/services';
import { REGISTRY_TOPICS } from '../../infra/local/stack/provision';
import { stackSettings } from '../../infra/local/stack/stack-settings';
import { ConfigResourceTypes } from 'kafkajs';

const stack = new LocalStack(undefined, () => undefined);
const registry = localRegistry();

describe('the local schema registry', () => {
  it('holds the contract’s subject under its rule, every version of its history registered', async () => {
    expect(await registry.compatibility(CREATED_USER_SUBJECT)).toBe('FULL_TRANSITIVE');
    expect(await registry.versions(CREATED_USER_SUBJECT)).toEqual(expect.arrayContaining([1, 2]));
    const id = await registry.idOf(CREATED_USER_SUBJECT, schemaText(CREATED_USER_SCHEMA));
    expect(JSON.parse((await registry.schemaById(id)).schema)).toEqual(CREATED_USER_SCHEMA);
  });

  it('listens on the loopback only, its management port included', () => {
    const pid = stack.schemaRegistry.process.pid();
    if (pid === undefined) return; // a registry this launcher did not start (compose) is not its to check
    const listening = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(`pid=${pid},`))
      .map((line) => line.trim().split(/\s+/)[3]);
    expect(listening.length).toBeGreaterThan(0);
    for (const address of listening) expect(address).toMatch(/^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):\d+$/);
  });

  it('keeps its storage topics for ever, replicated as the pipeline’s topics are', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [...REGISTRY_TOPICS] });
      const replicas = stackSettings().kafka.replicationFactor;
      for (const topic of topics) expect(`${topic.name}: ${topic.partitions.map((p) => p.replicas.length)}`).toBe(`${topic.name}: ${replicas}`);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: REGISTRY_TOPICS.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms'] })),
      });
      expect(resources.map((resource) => resource.configEntries[0].configValue)).toEqual(['-1', '-1']);
    } finally {
      await admin.disconnect();
    }
  });

  it('keeps its schemas and their ids across a restart', async () => {
    if (!stack.schemaRegistry.process.isRunning()) return; // not this launcher's to restart
    const id = await registry.idOf(CREATED_USER_SUBJECT, schemaText(CREATED_USER_SCHEMA));
    const versions = await registry.versions(CREATED_USER_SUBJECT);
    expect(await stack.schemaRegistry.process.stop()).toBe(true);
    expect(await registry.answers()).toBe(false);
    await stack.startService(stack.schemaRegistry);
    expect(await registry.idOf(CREATED_USER_SUBJECT, schemaText(CREATED_USER_SCHEMA))).toBe(id);
    expect(await registry.versions(CREATED_USER_SUBJECT)).toEqual(versions);
  }, 120_000);
});
