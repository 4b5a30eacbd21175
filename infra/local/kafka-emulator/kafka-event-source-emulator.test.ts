// The emulator's on-failure producer, without a broker: Kafka's refusal of its numbering is played by
// KafkaJS's own error (test/integration/renewed-producer.test.ts provokes the real one).
import type { Producer } from 'kafkajs';
import type { LambdaKafkaRecord } from '../../../contract/lambda-kafka-event';
import { mappingsOf } from '../../mapping/event-source-mapping';
import { openIdempotentProducer, publish } from '../../../functions/shared/producer';
import { KafkaEventSourceEmulator } from './kafka-event-source-emulator';

jest.mock('../../../functions/shared/producer', () => ({ openIdempotentProducer: jest.fn(), publish: jest.fn() }));

const { createErrorFromCode } = jest.requireActual<{ createErrorFromCode(code: number): Error }>('kafkajs/src/protocol/error');
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const NOT_LEADER_FOR_PARTITION = 6;

const [resolved] = mappingsOf({
  service: 'test',
  stage: 'dev',
  functions: {
    recorder: {
      name: 'test-dev-recorder',
      events: [{ kafka: { topic: 'users_created', bootstrapServers: ['127.0.0.1:9092'] } }],
    },
  },
  controls: {},
  localBrokers: ['127.0.0.1:9092'],
});
const mapping = { ...resolved, onFailureTopic: 'users_created.dlq' };

const record: LambdaKafkaRecord = {
  topic: 'users_created',
  partition: 0,
  offset: 7,
  timestamp: 0,
  timestampType: 'CREATE_TIME',
  key: 'a2V5',
  value: 'dmFsdWU=',
  headers: [],
};

describe('the emulator’s on-failure producer', () => {
  const producers: Array<{ disconnect: jest.Mock }> = [];
  const logs: string[] = [];
  let emulator: KafkaEventSourceEmulator;
  /** The emulator's own step: send records to the on-failure destination (the caller retries a failure). */
  const giveUp = () => (emulator as unknown as { giveUp(...args: unknown[]): Promise<void> }).giveUp([record], 'retries-exhausted', 10, 'down');

  beforeEach(() => {
    producers.length = 0;
    logs.length = 0;
    jest
      .mocked(openIdempotentProducer)
      .mockReset()
      .mockImplementation(async () => {
        const producer = { disconnect: jest.fn(async () => undefined) };
        producers.push(producer);
        return producer as unknown as Producer;
      });
    jest.mocked(publish).mockReset();
    emulator = new KafkaEventSourceEmulator(mapping, { invoke: async () => ({ ok: true, response: undefined }), log: (line) => void logs.push(line) });
  });

  it('is replaced after Kafka refuses its numbering: the old one closed, the next try on a new one', async () => {
    jest.mocked(publish).mockRejectedValueOnce(createErrorFromCode(OUT_OF_ORDER_SEQUENCE_NUMBER)).mockResolvedValueOnce([]);
    await expect(giveUp()).rejects.toMatchObject({ type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(producers).toHaveLength(1);
    expect(producers[0].disconnect).toHaveBeenCalled();
    await giveUp();
    expect(producers).toHaveLength(2);
    expect(jest.mocked(publish).mock.calls.map(([producer]) => producers.indexOf(producer as never))).toEqual([0, 1]);
    expect(logs.some((line) => line.includes("Kafka refused the on-failure producer's sequence numbers; opening a new producer"))).toBe(true);
  });

  it('is kept after any other failure', async () => {
    jest.mocked(publish).mockRejectedValueOnce(createErrorFromCode(NOT_LEADER_FOR_PARTITION)).mockResolvedValueOnce([]);
    await expect(giveUp()).rejects.toMatchObject({ type: 'NOT_LEADER_FOR_PARTITION' });
    await giveUp();
    expect(producers).toHaveLength(1);
    expect(producers[0].disconnect).not.toHaveBeenCalled();
  });
});
