import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterId, serverProperties } from './kafka-broker';
import { replicatedSchema, schemaStatements } from './provision';
import { nodesFile, stackSettings } from './stack-settings';
import { StackError } from './stack-error';

// Settings from the environment given and nothing else: a cluster this checkout runs leaves a file
// the settings read, and these tests must not see it.
const isolated = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-settings-'));
afterAll(() => fs.rmSync(isolated, { recursive: true, force: true }));
const settingsOf = (env: NodeJS.ProcessEnv) => stackSettings({ LOCAL_STACK_DIR: isolated, ...env });

describe('stack settings', () => {
  it('keeps every broker of KAFKA_BROKERS, and puts the controller past the highest port', () => {
    const { kafka } = settingsOf({ KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:19092' });
    expect(kafka.brokers).toEqual(['127.0.0.1:9092', '127.0.0.1:19092']);
    expect(kafka).toMatchObject({ host: '127.0.0.1', port: 9092, controllerPort: 19093 });
  });

  it('defaults to one broker on 127.0.0.1:9092 with its controller on 9093', () => {
    expect(settingsOf({}).kafka).toMatchObject({ brokers: ['127.0.0.1:9092'], controllerPort: 9093 });
  });

  it('refuses a list entry that is not host:port, naming the setting', () => {
    expect(() => settingsOf({ KAFKA_BROKERS: 'kafka://127.0.0.1:9092' })).toThrow(StackError);
    expect(() => settingsOf({ KAFKA_BROKERS: 'kafka://127.0.0.1:9092' })).toThrow(/KAFKA_BROKERS must be a comma-separated host:port list/);
  });
});

describe("the broker's configuration", () => {
  it('opens and advertises one client listener per address of KAFKA_BROKERS', () => {
    const properties = serverProperties(settingsOf({ KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:19092' }).kafka, '/data');
    expect(properties).toContain('listeners=PLAINTEXT://127.0.0.1:9092,CLIENT2://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093\n');
    expect(properties).toContain('advertised.listeners=PLAINTEXT://127.0.0.1:9092,CLIENT2://127.0.0.1:19092\n');
    expect(properties).toContain('listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CLIENT2:PLAINTEXT,CONTROLLER:PLAINTEXT\n');
  });
});

describe('the logins the stack can demand', () => {
  const scram = { KAFKA_SCRAM_LISTENER: '127.0.0.1:9096', KAFKA_SCRAM_USERNAME: 'pipeline', KAFKA_SCRAM_PASSWORD: 'p4ss' };

  it('adds a SASL_PLAINTEXT listener that takes SCRAM-SHA-512 only, beside the open ones', () => {
    const properties = serverProperties(settingsOf(scram).kafka, '/data');
    expect(properties).toContain('listeners=PLAINTEXT://127.0.0.1:9092,SCRAM://127.0.0.1:9096,CONTROLLER://127.0.0.1:9093\n');
    expect(properties).toContain('listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SCRAM:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT\n');
    expect(properties).toContain('listener.name.scram.sasl.enabled.mechanisms=SCRAM-SHA-512\n');
    expect(properties).toContain('listener.name.scram.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;\n');
    expect(serverProperties(settingsOf({}).kafka, '/data')).not.toContain('SASL');
  });

  it('names the missing credential, and refuses a password the admin tool would split', () => {
    expect(() => settingsOf({ ...scram, KAFKA_SCRAM_PASSWORD: '' })).toThrow(
      'KAFKA_SCRAM_PASSWORD is not set, and the SASL/SCRAM listener (KAFKA_SCRAM_LISTENER=127.0.0.1:9096) needs it',
    );
    expect(() => settingsOf({ ...scram, KAFKA_SCRAM_PASSWORD: 'a,b' })).toThrow(/may not contain/);
    expect(() => settingsOf({ CASSANDRA_AUTH: 'password', CASSANDRA_USERNAME: 'w' })).toThrow(
      'CASSANDRA_PASSWORD is not set, and CASSANDRA_AUTH=password needs it',
    );
  });

  it('runs Cassandra with passwords only when CASSANDRA_AUTH=password, as the functions read it', () => {
    expect(settingsOf({}).cassandra.auth).toBeUndefined();
    expect(settingsOf({ CASSANDRA_AUTH: 'password', CASSANDRA_USERNAME: 'w', CASSANDRA_PASSWORD: 'p' }).cassandra.auth).toEqual({
      superuser: { username: 'cassandra', password: 'cassandra' },
      user: { username: 'w', password: 'p' },
    });
  });
});

describe('the cluster id the log directory is formatted with', () => {
  it('is 22 URL-safe base64 characters that never start with "-", which kafka-storage would read as an option', () => {
    const ids = Array.from({ length: 2000 }, clusterId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the cluster (STACK_NODES=3)', () => {
  const dir = isolated;

  it('runs one broker and one Cassandra node per loopback address, Cassandra clients on 19042', () => {
    const { kafka, cassandra, nodes } = settingsOf({ STACK_NODES: '3', LOCAL_STACK_DIR: dir });
    expect(nodes).toBe(3);
    expect(kafka.brokers).toEqual(['127.0.0.1:9092', '127.0.0.2:9092', '127.0.0.3:9092']);
    expect(kafka.processes.map((p) => [p.id, p.name, `${p.controller.host}:${p.controller.port}`])).toEqual([
      [1, 'kafka-1', '127.0.0.1:9093'],
      [2, 'kafka-2', '127.0.0.2:9093'],
      [3, 'kafka-3', '127.0.0.3:9093'],
    ]);
    expect(cassandra.contactPoints).toEqual(['127.0.0.1:19042', '127.0.0.2:19042', '127.0.0.3:19042']);
    expect(cassandra.processes.map((p) => p.name)).toEqual(['cassandra-1', 'cassandra-2', 'cassandra-3']);
    expect(cassandra.seeds).toEqual(['127.0.0.1:7000']);
  });

  it('replicates as MSK and Keyspaces do; the single-node stack keeps one copy', () => {
    expect(settingsOf({ STACK_NODES: '3', LOCAL_STACK_DIR: dir })).toMatchObject({
      kafka: { replicationFactor: 3, minInsyncReplicas: 2 },
      cassandra: { replicas: 3 },
    });
    expect(settingsOf({ LOCAL_STACK_DIR: dir })).toMatchObject({ nodes: 1, kafka: { replicationFactor: 1, minInsyncReplicas: 1 }, cassandra: { replicas: 1 } });
  });

  it('makes every broker a voter of the quorum, with its own node id and address', () => {
    const { kafka } = settingsOf({ STACK_NODES: '3', LOCAL_STACK_DIR: dir });
    const second = serverProperties(kafka, '/data', kafka.processes[1]);
    expect(second).toContain('node.id=2\n');
    expect(second).toContain('controller.quorum.voters=1@127.0.0.1:9093,2@127.0.0.2:9093,3@127.0.0.3:9093\n');
    expect(second).toContain('listeners=PLAINTEXT://127.0.0.2:9092,CONTROLLER://127.0.0.2:9093\n');
    expect(second).toContain('advertised.listeners=PLAINTEXT://127.0.0.2:9092\n');
    for (const line of ['default.replication.factor=3', 'min.insync.replicas=2', 'offsets.topic.replication.factor=3', 'transaction.state.log.min.isr=2'])
      expect(second).toContain(`${line}\n`);
    expect(serverProperties(settingsOf({ LOCAL_STACK_DIR: dir }).kafka, '/data')).toContain('offsets.topic.replication.factor=1\n');
  });

  it('is found by later commands through the file stack:up leaves, until stack:down removes it', () => {
    fs.mkdirSync(path.join(dir, 'run'), { recursive: true });
    fs.writeFileSync(nodesFile(dir), '3');
    expect(settingsOf({ LOCAL_STACK_DIR: dir }).kafka.brokers).toHaveLength(3);
    fs.rmSync(nodesFile(dir));
    expect(settingsOf({ LOCAL_STACK_DIR: dir }).kafka.brokers).toEqual(['127.0.0.1:9092']);
  });

  it('takes one address per node from the list settings, and says what it needs otherwise', () => {
    const own = settingsOf({ STACK_NODES: '3', LOCAL_STACK_DIR: dir, CASSANDRA_CONTACT_POINTS: '127.0.0.4:9142,127.0.0.5:9142,127.0.0.6:9142' });
    expect(own.cassandra).toMatchObject({ host: '127.0.0.4', port: 9142, seeds: ['127.0.0.4:7000'] });
    expect(() => settingsOf({ STACK_NODES: '3', LOCAL_STACK_DIR: dir, KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:19092' })).toThrow(
      'KAFKA_BROKERS="127.0.0.1:9092,127.0.0.1:19092" names 2 address(es) on 1 host(s); a 3-node stack (STACK_NODES) runs one node per address and needs 3 on different hosts. Unset it for 127.0.0.1:9092,127.0.0.2:9092,127.0.0.3:9092.',
    );
    expect(() => settingsOf({ STACK_NODES: '2', LOCAL_STACK_DIR: dir })).toThrow(
      'STACK_NODES="2" is not a stack size this launcher runs: 1 (the default) or 3',
    );
    expect(() =>
      settingsOf({ STACK_NODES: '3', LOCAL_STACK_DIR: dir, KAFKA_SCRAM_LISTENER: '127.0.0.1:9096', KAFKA_SCRAM_USERNAME: 'u', KAFKA_SCRAM_PASSWORD: 'p' }),
    ).toThrow(/single-node stack only/);
  });
});

describe('the schema the stack applies', () => {
  const statements = schemaStatements();

  it('is schema.cql itself on one node', () => {
    expect(replicatedSchema(statements, { localDc: 'datacenter1', replicas: 1 })).toEqual(statements);
  });

  it("replaces only the keyspace's replication on a cluster: NetworkTopologyStrategy, three in the local datacenter", () => {
    const replicated = replicatedSchema(statements, { localDc: 'datacenter1', replicas: 3 });
    expect(replicated[0]).toBe("CREATE KEYSPACE IF NOT EXISTS spark_streams\n  WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': '3'}");
    expect(replicated.slice(1)).toEqual(statements.slice(1));
  });

  it('says so when schema.cql gives the keyspace no replication to replace', () => {
    expect(() => replicatedSchema(['CREATE KEYSPACE IF NOT EXISTS k'], { localDc: 'dc', replicas: 3 })).toThrow(
      /has no "WITH replication = \{…\}" for the stack to replicate 3 times/,
    );
  });
});
