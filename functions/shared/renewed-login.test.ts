import { LoginRefusedError } from './errors';
import { LazyConnection } from './lazy-connection';
import { isLoginRefusal, logRenewal, withRenewedLogin } from './renewed-login';
import { createObservability } from './observability';

class KafkaJSSASLAuthenticationError extends Error {
  override name = 'KafkaJSSASLAuthenticationError';
}
class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

/** A connection whose n-th opening gets the password of that moment; what it was opened with, it keeps. */
function rotatingConnection(passwords: string[]) {
  let opened = 0;
  const closed: string[] = [];
  const connection = new LazyConnection(
    async () => passwords[Math.min(opened++, passwords.length - 1)],
    async (password) => void closed.push(password),
  );
  return { connection, closed, opens: () => opened };
}

describe('a refused login, renewed once', () => {
  it('recognises the pipeline’s, KafkaJS’s and cassandra-driver’s refusals, however wrapped, and nothing else', () => {
    expect(isLoginRefusal(new LoginRefusedError('Kafka', ['b:9096'], 'secret arn:s', new Error('x')))).toBe(true);
    expect(isLoginRefusal(new KafkaJSSASLAuthenticationError('SASL SCRAM SHA512 authentication failed'))).toBe(true);
    expect(isLoginRefusal(Object.assign(new Error('retries exceeded'), { originalError: new KafkaJSSASLAuthenticationError('x') }))).toBe(true);
    expect(
      isLoginRefusal(Object.assign(new Error('All host(s) tried for query failed'), { innerErrors: { '127.0.0.1:9042': new AuthenticationError('bad') } })),
    ).toBe(true);
    expect(isLoginRefusal(new Error('wrapped', { cause: new AuthenticationError('bad') }))).toBe(true);
    expect(
      isLoginRefusal(Object.assign(new Error('All host(s) tried'), { innerErrors: { a: new AuthenticationError('bad'), b: new Error('ECONNREFUSED') } })),
    ).toBe(false);
    expect(isLoginRefusal(new Error('ECONNREFUSED'))).toBe(false);
    expect(isLoginRefusal(undefined)).toBe(false);
  });

  it('after a rotation: forgets the connection opened with the old password, opens one with the new, and succeeds', async () => {
    const { connection, closed, opens } = rotatingConnection(['old', 'new']);
    await connection.get();
    const renewed: unknown[] = [];
    const op = async (password: string) => {
      if (password !== 'new') throw new LoginRefusedError('Cassandra', ['c:9042'], 'secret arn:c', new AuthenticationError('bad'));
      return 'written';
    };
    await expect(withRenewedLogin(connection, op, (refusal) => renewed.push(refusal))).resolves.toBe('written');
    expect(closed).toEqual(['old']);
    expect(opens()).toBe(2);
    expect(renewed).toHaveLength(1);
  });

  it('throws a second refusal: the password is wrong, not rotated', async () => {
    const { connection, opens } = rotatingConnection(['wrong', 'still-wrong']);
    const op = async () => {
      throw new KafkaJSSASLAuthenticationError('SASL SCRAM SHA512 authentication failed');
    };
    await expect(withRenewedLogin(connection, op)).rejects.toThrow('SASL SCRAM SHA512 authentication failed');
    expect(opens()).toBe(2);
  });

  it('leaves any other failure alone: no new connection, no retry', async () => {
    const { connection, closed, opens } = rotatingConnection(['pw']);
    let calls = 0;
    const op = async () => {
      calls++;
      throw new Error('ECONNREFUSED');
    };
    await expect(withRenewedLogin(connection, op)).rejects.toThrow('ECONNREFUSED');
    expect({ calls, opens: opens(), closed }).toEqual({ calls: 1, opens: 1, closed: [] });
  });
});

describe('the renewal’s log line', () => {
  it('names the service that refused the login beside the function’s own name, and the refusal, never a secret', () => {
    const { logger } = createObservability('writeUsers');
    const lines: string[] = [];
    // Powertools writes JSON lines through a console of its own (warnings on stderr).
    const capture = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    const writes = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
    try {
      logRenewal(logger, 'Cassandra')(new AuthenticationError('Provided username pipeline_writer and/or password are incorrect'));
    } finally {
      for (const write of writes) write.mockRestore();
    }
    const [line] = lines.map((text) => JSON.parse(text) as Record<string, unknown>);
    // `service` is the logger's own key: the function that renewed.
    expect(line).toMatchObject({ level: 'WARN', service: 'writeUsers', refusedBy: 'Cassandra' });
    expect(line.error).toBe('AuthenticationError: Provided username pipeline_writer and/or password are incorrect');
  });
});
