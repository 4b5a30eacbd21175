import { clusterId, serverProperties } from './kafka-broker';
import { stackSettings } from './stack-settings';
import { StackError } from './stack-error';

describe('stack settings', () => {
  it('keeps every broker of KAFKA_BROKERS, and puts the controller past the highest port', () => {
    const { kafka } = stackSettings({ KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:19092' });
    expect(kafka.brokers).toEqual(['127.0.0.1:9092', '127.0.0.1:19092']);
    expect(kafka).toMatchObject({ host: '127.0.0.1', port: 9092, controllerPort: 19093 });
  });

  it('defaults to one broker on 127.0.0.1:9092 with its controller on 9093', () => {
    expect(stackSettings({}).kafka).toMatchObject({ brokers: ['127.0.0.1:9092'], controllerPort: 9093 });
  });

  it('refuses a list entry that is not host:port, naming the setting', () => {
    expect(() => stackSettings({ KAFKA_BROKERS: 'kafka://127.0.0.1:9092' })).toThrow(StackError);
    expect(() => stackSettings({ KAFKA_BROKERS: 'kafka://127.0.0.1:9092' })).toThrow(/KAFKA_BROKERS must be a comma-separated host:port list/);
  });
});

describe("the broker's configuration", () => {
  it('opens and advertises one client listener per address of KAFKA_BROKERS', () => {
    const properties = serverProperties(stackSettings({ KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:19092' }).kafka, '/data');
    expect(properties).toContain('listeners=PLAINTEXT://127.0.0.1:9092,CLIENT2://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093\n');
    expect(properties).toContain('advertised.listeners=PLAINTEXT://127.0.0.1:9092,CLIENT2://127.0.0.1:19092\n');
    expect(properties).toContain('listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CLIENT2:PLAINTEXT,CONTROLLER:PLAINTEXT\n');
  });
});

describe('the logins the stack can demand', () => {
  const scram = { KAFKA_SCRAM_LISTENER: '127.0.0.1:9096', KAFKA_SCRAM_USERNAME: 'pipeline', KAFKA_SCRAM_PASSWORD: 'p4ss' };

  it('adds a SASL_PLAINTEXT listener that takes SCRAM-SHA-512 only, beside the open ones', () => {
    const properties = serverProperties(stackSettings(scram).kafka, '/data');
    expect(properties).toContain('listeners=PLAINTEXT://127.0.0.1:9092,SCRAM://127.0.0.1:9096,CONTROLLER://127.0.0.1:9093\n');
    expect(properties).toContain('listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SCRAM:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT\n');
    expect(properties).toContain('listener.name.scram.sasl.enabled.mechanisms=SCRAM-SHA-512\n');
    expect(properties).toContain('listener.name.scram.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;\n');
    expect(serverProperties(stackSettings({}).kafka, '/data')).not.toContain('SASL');
  });

  it('names the missing credential, and refuses a password the admin tool would split', () => {
    expect(() => stackSettings({ ...scram, KAFKA_SCRAM_PASSWORD: '' })).toThrow('KAFKA_SCRAM_PASSWORD is not set, and the SASL/SCRAM listener (KAFKA_SCRAM_LISTENER=127.0.0.1:9096) needs it');
    expect(() => stackSettings({ ...scram, KAFKA_SCRAM_PASSWORD: 'a,b' })).toThrow(/may not contain/);
    expect(() => stackSettings({ CASSANDRA_AUTH: 'password', CASSANDRA_USERNAME: 'w' })).toThrow('CASSANDRA_PASSWORD is not set, and CASSANDRA_AUTH=password needs it');
  });

  it('runs Cassandra with passwords only when CASSANDRA_AUTH=password, as the functions read it', () => {
    expect(stackSettings({}).cassandra.auth).toBeUndefined();
    expect(stackSettings({ CASSANDRA_AUTH: 'password', CASSANDRA_USERNAME: 'w', CASSANDRA_PASSWORD: 'p' }).cassandra.auth).toEqual({
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
