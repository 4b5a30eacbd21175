import { Partitioners } from 'kafkajs';
import { createKafka } from './kafka-client';

describe("KafkaJS's log, through the function's logger", () => {
  it('keeps warnings, and drops only the one about limited retries of the idempotent producer', async () => {
    const warnings: string[] = [];
    const kafka = await createKafka({ brokers: ['127.0.0.1:1'], clientId: 'test', ssl: false, auth: { mode: 'none' } }, { warn: (message) => warnings.push(message) });
    // KafkaJS warns here, at creation, as it does at every cold start of the functions.
    kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    kafka.logger().warn('a broker went away', { broker: '127.0.0.1:1' });
    kafka.logger().info('connected');
    expect(warnings).toEqual(['kafkajs: a broker went away']);
  });
});
