import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { LazyConnection } from './lazy-connection';
import type { Log } from './observability';
import type { Producer } from './producer';
import { isProducerStateLost, withRenewedProducer } from './renewed-producer';

// KafkaJS's own factory, which its protocol decoder uses for a broker's error code.
const { createErrorFromCode } = jest.requireActual<{ createErrorFromCode(code: number): Error }>('kafkajs/src/protocol/error');
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const INVALID_PRODUCER_EPOCH = 47;
const UNKNOWN_PRODUCER_ID = 59;
const NOT_LEADER_FOR_PARTITION = 6;
// KafkaJS's class; its typings declare no argument, its constructor passes the message on.
const refusedLogin = () => new (KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error)('SASL SCRAM SHA512 authentication failed');

/** A connection to stand-in producers, numbered by opening; `op` decides what each one does. */
function numberedProducers() {
  let opens = 0;
  const closed: number[] = [];
  const connection = new LazyConnection<Producer>(
    async () => ({ number: ++opens }) as unknown as Producer,
    async (producer) => void closed.push((producer as unknown as { number: number }).number),
  );
  const numberOf = (producer: Producer) => (producer as unknown as { number: number }).number;
  return { connection, closed, numberOf, opens: () => opens };
}

function recordingLog() {
  const warnings: string[] = [];
  const logger: Log = { info: () => undefined, error: () => undefined, warn: (message) => void warnings.push(message) };
  return { logger, warnings };
}

describe('isProducerStateLost', () => {
  it("is true for the broker's errors that end a producer's numbering, alone or as the cause of retries that ran out", () => {
    for (const code of [OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, UNKNOWN_PRODUCER_ID]) {
      expect(isProducerStateLost(createErrorFromCode(code))).toBe(true);
      expect(isProducerStateLost(new KafkaJSNumberOfRetriesExceeded(createErrorFromCode(code), { retryCount: 3, retryTime: 900 }))).toBe(true);
    }
  });

  it('is false for anything else: another protocol error, a lost connection, a refused login, no error', () => {
    expect(isProducerStateLost(createErrorFromCode(NOT_LEADER_FOR_PARTITION))).toBe(false);
    expect(isProducerStateLost(new KafkaJSConnectionError('Connection error: ECONNREFUSED'))).toBe(false);
    expect(isProducerStateLost(refusedLogin())).toBe(false);
    expect(isProducerStateLost(new Error('The broker received an out of order sequence number'))).toBe(false);
    expect(isProducerStateLost(undefined)).toBe(false);
  });
});

describe('withRenewedProducer', () => {
  it('sends once more on a new producer after a lost numbering, closing the old one, and says so', async () => {
    const { connection, closed, numberOf, opens } = numberedProducers();
    const { logger, warnings } = recordingLog();
    const sentWith: number[] = [];
    const op = async (producer: Producer) => {
      sentWith.push(numberOf(producer));
      if (numberOf(producer) === 1) throw createErrorFromCode(OUT_OF_ORDER_SEQUENCE_NUMBER);
      return 'sent';
    };
    await expect(withRenewedProducer(connection, op, logger)).resolves.toBe('sent');
    expect({ sentWith, closed, opens: opens() }).toEqual({ sentWith: [1, 2], closed: [1], opens: 2 });
    expect(warnings).toEqual(["Kafka refused the producer's sequence numbers; opening a new producer and sending once more"]);
  });

  it('throws a second refusal from the new producer rather than loop', async () => {
    const { connection, opens } = numberedProducers();
    const op = async () => {
      throw createErrorFromCode(UNKNOWN_PRODUCER_ID);
    };
    await expect(withRenewedProducer(connection, op, recordingLog().logger)).rejects.toMatchObject({ type: 'UNKNOWN_PRODUCER_ID' });
    expect(opens()).toBe(2);
  });

  it('leaves any other failure alone: the same producer, no second send', async () => {
    const { connection, closed, opens } = numberedProducers();
    const { logger, warnings } = recordingLog();
    let sends = 0;
    const op = async () => {
      sends++;
      throw createErrorFromCode(NOT_LEADER_FOR_PARTITION);
    };
    await expect(withRenewedProducer(connection, op, logger)).rejects.toMatchObject({ type: 'NOT_LEADER_FOR_PARTITION' });
    expect({ sends, closed, opens: opens(), warnings }).toEqual({ sends: 1, closed: [], opens: 1, warnings: [] });
  });

  it('still renews a refused login (withRenewedLogin underneath)', async () => {
    const { connection, closed } = numberedProducers();
    const { logger, warnings } = recordingLog();
    let sends = 0;
    const op = async () => {
      if (++sends === 1) throw refusedLogin();
      return 'sent';
    };
    await expect(withRenewedProducer(connection, op, logger)).resolves.toBe('sent');
    expect({ sends, closed }).toEqual({ sends: 2, closed: [1] });
    expect(warnings).toEqual(['login refused; reading the secrets again and reconnecting once']);
  });
});
