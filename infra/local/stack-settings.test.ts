import { serverProperties } from './kafka-broker';
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
