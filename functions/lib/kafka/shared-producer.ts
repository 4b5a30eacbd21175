// The producer both functions use: idempotent, in order, Java-compatible partitioning, connected once
// per container through a LazyConnection.
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { LazyConnection } from '../lazy-connection';

export async function openIdempotentProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    // KafkaJS keeps per-partition order under idempotence only with one request in flight.
    maxInFlightRequests: 1,
    // murmur2, as Java producers use: the same key lands on the same partition whoever produced it.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return producer;
}

export function sharedProducer(kafka: () => Promise<Kafka>): LazyConnection<Producer> {
  return new LazyConnection(
    async () => openIdempotentProducer(await kafka()),
    (producer) => producer.disconnect(),
  );
}
