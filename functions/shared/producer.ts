// The producer both functions use: idempotent, in order, Java-compatible partitioning, connected once
// per container through a LazyConnection.
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { KafkaConfig } from './config';
import { createKafka, loginRefused, type WarningSink } from './kafka-client';
import { LazyConnection } from './lazy-connection';

/** `connectError` may turn a failed connect into the pipeline's own error (a refused login). */
export async function openIdempotentProducer(kafka: Kafka, connectError: (error: unknown) => unknown = (error) => error): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    // KafkaJS keeps per-partition order under idempotence only with one request in flight.
    maxInFlightRequests: 1,
    // murmur2, as Java producers use: the same key lands on the same partition whoever produced it.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    await producer.connect();
  } catch (error) {
    throw connectError(error);
  }
  return producer;
}

export function sharedProducer(kafka: () => Promise<Kafka>, connectError?: (error: unknown) => unknown): LazyConnection<Producer> {
  return new LazyConnection(
    async () => openIdempotentProducer(await kafka(), connectError),
    (producer) => producer.disconnect(),
  );
}

/** The container's one producer, opened on first use with the function's Kafka settings; a refused login is named as such. */
export function containerProducer(config: KafkaConfig, log: WarningSink): LazyConnection<Producer> {
  return sharedProducer(
    () => createKafka(config, log),
    (error) => loginRefused(config, error),
  );
}
