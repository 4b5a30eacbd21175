// An idempotent producer numbers its records per partition, and the broker refuses a number it did not
// expect. After some broker failovers KafkaJS's numbers and the broker's part ways, and KafkaJS never
// mends them: every later send of that producer is refused the same way (kafkajs#598). The Java
// producer treats these errors as the end of a producer's state too. So: on one of them, drop the
// producer, open a new one (a new producer id, numbering from zero), and send once more. A record the
// old producer did write may be written twice; writeUsers upserts by id, so a copy makes the same row.
import { describeError, isOrWraps } from './errors';
import type { LazyConnection } from './lazy-connection';
import type { Log } from './observability';
import type { Producer } from './producer';
import { logRenewal, withRenewedLogin } from './renewed-login';

/** The broker's errors after which a producer's sequence numbers or id no longer match its own. */
const LOST_PRODUCER_STATE = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

/** True for KafkaJS's protocol error of one of those types, on its own or as the cause of a retry that gave up. */
export function isProducerStateLost(error: unknown): boolean {
  return isOrWraps(error, (one) => {
    const { name, type } = one as { name?: unknown; type?: unknown };
    return name === 'KafkaJSProtocolError' && typeof type === 'string' && LOST_PRODUCER_STATE.has(type);
  });
}

/**
 * `op` on the container's producer: after a refused login, once more with fresh secrets
 * (withRenewedLogin); after the producer's state was lost, once more on a new producer.
 */
export async function withRenewedProducer<R>(producer: LazyConnection<Producer>, op: (opened: Producer) => Promise<R>, logger: Log): Promise<R> {
  const attempt = () => withRenewedLogin(producer, op, logRenewal(logger, 'Kafka'));
  try {
    return await attempt();
  } catch (error) {
    if (!isProducerStateLost(error)) throw error;
    logger.warn("Kafka refused the producer's sequence numbers; opening a new producer and sending once more", { error: describeError(error) });
    await producer.close().catch(() => undefined);
    return attempt();
  }
}
