// A refused login may be a rotated password, not a wrong one. Secrets Manager rotates a secret while
// a warm container still holds the old value and connections opened with it; without this, every
// batch after a rotation failed with LoginRefusedError until Lambda recycled the container. So: on a
// refused login, forget the cached secrets, drop the connection, open a new one with what Secrets
// Manager holds now, and try once more. A second refusal is a real one and is thrown.
import { describeError, isOrWraps, LoginRefusedError } from './errors';
import type { Log } from './observability';
import type { LazyConnection } from './lazy-connection';
import { forgetSecrets } from './secrets';

/**
 * True for the pipeline's LoginRefusedError, KafkaJS's failed SASL handshake, and cassandra-driver's
 * AuthenticationError, on its own or as the per-host cause of "no host available", however wrapped.
 */
export function isLoginRefusal(error: unknown, depth = 0): boolean {
  return isOrWraps(
    error,
    (one, at) => {
      if (one instanceof LoginRefusedError) return true;
      const { name, innerErrors } = one as { name?: unknown; innerErrors?: unknown };
      if (name === 'KafkaJSSASLAuthenticationError' || name === 'AuthenticationError') return true;
      const inner = innerErrors !== null && typeof innerErrors === 'object' ? Object.values(innerErrors) : [];
      return inner.length > 0 && inner.every((host) => isLoginRefusal(host, at + 1));
    },
    depth,
  );
}

/** `op` on the container's connection; after a refused login, once more on a new one with fresh secrets. */
export async function withRenewedLogin<T, R>(connection: LazyConnection<T>, op: (opened: T) => Promise<R>, renewing?: (refusal: unknown) => void): Promise<R> {
  try {
    return await op(await connection.get());
  } catch (error) {
    if (!isLoginRefusal(error)) throw error;
    renewing?.(error);
    forgetSecrets();
    await connection.close().catch(() => undefined);
    return op(await connection.get());
  }
}

/**
 * What both functions log when they renew a login: the service that refused it and the refusal, never a
 * secret. As `refusedBy`: `service` is the logger's own key (the function's name), which hid it.
 */
export const logRenewal =
  (logger: Log, refusedBy: 'Kafka' | 'Cassandra') =>
  (refusal: unknown): void =>
    logger.warn('login refused; reading the secrets again and reconnecting once', { refusedBy, error: describeError(refusal) });
