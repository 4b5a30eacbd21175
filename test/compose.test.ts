// docker-compose.localstack.yml, the Docker users' stack, held to the same sources the native stack
// reads, so the two cannot drift: the topics and their partitions, the schema, the addresses and data
// center the functions default to, and image versions pinned to the jars the launcher runs. `.ci/run`
// also has a real compose implementation validate the file (`docker-compose config`).
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import topics from '../contract/topics.json';
import { DEFAULT_CASSANDRA_CONTACT_POINTS, DEFAULT_KAFKA_BROKERS } from '../functions/shared/host-port-list';
import { loadWriterConfig } from '../functions/shared/config';
import { DEFAULT_SCHEMA_REGISTRY_URL } from '../functions/shared/schema-registry';
import registryArtifact from '../infra/local/stack/jvm/schema-registry/artifact.json';
import { registryProperties } from '../infra/local/stack/schema-registry';
import { stackSettings } from '../infra/local/stack/stack-settings';

const ROOT = path.resolve(__dirname, '..');
interface Service {
  image: string;
  ports?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  command?: string[];
  entrypoint?: string[];
}
const compose = yaml.load(fs.readFileSync(path.join(ROOT, 'docker-compose.localstack.yml'), 'utf8')) as { services: Record<string, Service> };
const { services } = compose;
const pomVersion = (service: string, property: string) =>
  new RegExp(`<${property}>([^<]+)</${property}>`).exec(fs.readFileSync(path.join(ROOT, 'infra/local/stack/jvm', service, 'pom.xml'), 'utf8'))![1];

describe('docker-compose.localstack.yml', () => {
  it('pins every image, LocalStack at 4.14.0, Kafka and Cassandra at the versions the native stack runs', () => {
    for (const [name, service] of Object.entries(services)) expect(`${name}: ${service.image}`).toMatch(/:[^:]*\d[^:]*$/);
    expect(Object.values(services).map((s) => s.image)).not.toContainEqual(expect.stringMatching(/:latest$/));
    expect(services.localstack.image).toBe('localstack/localstack:4.14.0');
    expect(services.kafka.image).toBe(`apache/kafka:${pomVersion('kafka', 'kafka.version')}`);
    expect(services.cassandra.image).toBe(`cassandra:${pomVersion('cassandra', 'cassandra.version')}`);
    expect(services['schema-registry'].image).toBe(`apicurio/apicurio-registry:${registryArtifact.version}`);
  });

  it('runs the registry as the native stack does: its schemas in the same Kafka topic, on the port SCHEMA_REGISTRY_URL defaults to', () => {
    const registry = services['schema-registry'];
    const properties = Object.fromEntries(registryProperties(stackSettings({})).map((property) => property.slice(2).split('=') as [string, string]));
    expect(registry.environment).toMatchObject({
      APICURIO_STORAGE_KIND: properties['apicurio.storage.kind'],
      APICURIO_KAFKASQL_TOPIC: properties['apicurio.kafkasql.topic'],
      APICURIO_KAFKASQL_SNAPSHOTS_TOPIC: properties['apicurio.kafkasql.snapshots.topic'],
    });
    expect(registry.ports).toEqual([`127.0.0.1:${new URL(DEFAULT_SCHEMA_REGISTRY_URL).port}:8080`]);
  });

  it('creates the contract’s topics with their partitions, from contract/topics.json itself', () => {
    const init = services['kafka-init'];
    expect(init.volumes).toContain('./contract/topics.json:/topics.json:ro');
    const script = init.command!.join('\n');
    const partitions = Number(/--partitions (\d+)/.exec(script)![1]);
    // The script reads the names from the file; its one partition count must be every topic's.
    expect(
      Object.values(topics)
        .filter((t) => typeof t === 'object')
        .map((t) => [t.name, t.partitions]),
    ).toEqual([
      ['users_created', partitions],
      ['users_created.dlq', partitions],
    ]);
  });

  it('applies contract/schema.cql, the file the launcher applies', () => {
    expect(services['cassandra-init'].volumes).toEqual(['./contract/schema.cql:/schema.cql:ro']);
    expect(fs.existsSync(path.join(ROOT, 'contract/schema.cql'))).toBe(true);
  });

  it('listens where the functions look by default, in the data center they name', () => {
    expect(services.kafka.ports).toEqual([`${DEFAULT_KAFKA_BROKERS}:9092`]);
    expect(services.cassandra.ports).toEqual([`${DEFAULT_CASSANDRA_CONTACT_POINTS}:9042`]);
    expect(services.cassandra.environment!.CASSANDRA_DC).toBe(loadWriterConfig({}).cassandra.localDataCenter);
  });
});
