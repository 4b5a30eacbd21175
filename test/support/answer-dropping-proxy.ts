// A TCP relay in front of one Kafka broker that can stop passing the broker's answers on: the request
// arrives and is carried out, and the client waits for an answer that never comes, as when a broker
// dies after writing a batch and before answering it. Clients reach it through KafkaJS's socketFactory.
import net from 'node:net';
import type { ISocketFactory } from 'kafkajs';

export class AnswerDroppingProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  /** While true, what the broker sends back is thrown away. */
  dropping = false;

  constructor(private readonly broker: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.broker.port, this.broker.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.on('data', (bytes) => upstream.write(bytes));
      upstream.on('data', (bytes) => {
        if (!this.dropping) client.write(bytes);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  /** Every connection KafkaJS opens goes through the relay; the broker it asked for must be this one. */
  socketFactory(): ISocketFactory {
    const { port } = this.server!.address() as net.AddressInfo;
    return ({ host, port: asked, onConnect }) => {
      if (host !== this.broker.host || asked !== this.broker.port)
        throw new Error(`the relay stands only in front of ${this.broker.host}:${this.broker.port}, not ${host}:${asked}`);
      return net.connect({ host: '127.0.0.1', port }, onConnect);
    };
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
