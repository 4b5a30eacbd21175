import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LocalStack } from './local-stack';
import { stackSettings } from './stack-settings';

describe('LocalStack refuses to start over a port somebody else holds', () => {
  let server: net.Server;
  let port: number;
  let dir: string;
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    // Accepts connections and never answers: neither Kafka nor Cassandra.
    server = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-'));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the port, the service and the setting to change, and starts nothing', async () => {
    const settings = stackSettings({ KAFKA_BROKERS: `127.0.0.1:${port}`, CASSANDRA_CONTACT_POINTS: `127.0.0.1:${port}`, LOCAL_STACK_DIR: dir });
    const stack = new LocalStack(settings, () => undefined);
    await expect(stack.up()).rejects.toThrow(
      new RegExp(
        `Port ${port} on 127.0.0.1 is taken by a process that does not answer as (kafka|cassandra)\\. Stop it, or point (KAFKA_BROKERS|CASSANDRA_CONTACT_POINTS) at another port\\.`,
      ),
    );
    expect(stack.kafka.process.pid()).toBeUndefined();
    expect(stack.cassandra.process.pid()).toBeUndefined();
  });

  it('rejects a malformed address setting by name', () => {
    expect(() => stackSettings({ KAFKA_BROKERS: 'kafka:abc' })).toThrow(
      /KAFKA_BROKERS must be a comma-separated host:port list \(e.g. 127.0.0.1:9092\), got "kafka:abc"/,
    );
  });
});
