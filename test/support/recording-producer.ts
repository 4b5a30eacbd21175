// A KafkaJS producer that records what each path hands it instead of sending: the unit tests read the
// exact records; the integration tests read the same records back from a real broker.
import type { Producer, ProducerRecord } from 'kafkajs';

export function recordingProducer() {
  const sent: ProducerRecord[] = [];
  // Answers as KafkaJS does when nothing was placed by its partitioner: no partition to acknowledge.
  const producer = { send: async (record: ProducerRecord) => (sent.push(record), []) } as unknown as Producer;
  return { producer, sent };
}
