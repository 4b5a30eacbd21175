import {
  BatchNotWrittenError,
  ConfigurationError,
  LoginRefusedError,
  PipelineError,
  PoisonRecordError,
  PublishFailedError,
  UsersApiUnavailableError,
  describeError,
  isOrWraps,
} from './errors';

// Logs and metrics key on `code` and `name`, and the person who meets an error reads its message:
// each must say what failed, with which input, and what to do.
describe('pipeline errors', () => {
  const cause = new Error('connect ECONNREFUSED 127.0.0.1:9092');

  it.each([
    [new ConfigurationError(['A is required', 'B must be an integer']), 'CONFIGURATION', 'ConfigurationError'],
    [new UsersApiUnavailableError('timeout', 'https://randomuser.me/api/', 4, 'no reply'), 'USERS_API_UNAVAILABLE', 'UsersApiUnavailableError'],
    [new PublishFailedError('users_created', ['b-1:9092'], cause), 'PUBLISH_FAILED', 'PublishFailedError'],
    [new LoginRefusedError('Kafka', ['b-1:9096'], 'the secret X', cause), 'LOGIN_REFUSED', 'LoginRefusedError'],
    [new PoisonRecordError('not-json', 'Unexpected token'), 'POISON_RECORD', 'PoisonRecordError'],
    [new BatchNotWrittenError(100, cause), 'BATCH_NOT_WRITTEN', 'BatchNotWrittenError'],
  ])('%s has a stable code and name', (error, code, name) => {
    expect(error).toBeInstanceOf(PipelineError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(String(error)).toMatch(new RegExp(`^${name}: `));
  });

  it('lists every configuration problem and what to do', () => {
    expect(new ConfigurationError(['A is required', 'B must be an integer']).message).toBe(
      'Invalid configuration: A is required; B must be an integer. Fix these environment variables and redeploy or restart.',
    );
  });

  it('says which API failed, how often, why, and that nothing was published', () => {
    const error = new UsersApiUnavailableError('http-status', 'http://127.0.0.1:3999/api/', 3, 'HTTP 503');
    expect(error).toMatchObject({ failure: 'http-status', url: 'http://127.0.0.1:3999/api/', attempts: 3 });
    expect(error.message).toBe(
      "The Random User API at http://127.0.0.1:3999/api/ failed after 3 attempt(s) (http-status: HTTP 503). Nothing was published; the next schedule tick retries. If it persists, check the API's status or USERS_API_URL.",
    );
  });

  it('names the topic, the brokers and the cause of a failed publish, and keeps the cause', () => {
    const error = new PublishFailedError('users_created', ['b-1:9092', 'b-2:9092'], cause);
    expect(error.message).toBe(
      'Could not publish to topic users_created on b-1:9092,b-2:9092: Error: connect ECONNREFUSED 127.0.0.1:9092. Check that the brokers are reachable (KAFKA_BROKERS) and the topic exists.',
    );
    expect(error.cause).toBe(cause);
  });

  it('names the service, its endpoints and where the refused credentials came from', () => {
    const error = new LoginRefusedError('Cassandra', ['db-1:9042', 'db-2:9042'], 'CASSANDRA_USERNAME=writer and CASSANDRA_PASSWORD', 'bad credentials');
    expect(error.service).toBe('Cassandra');
    expect(error.message).toBe(
      'Cassandra at db-1:9042,db-2:9042 refused the login (bad credentials). The credentials come from CASSANDRA_USERNAME=writer and CASSANDRA_PASSWORD: check the username and password there, and that the user exists on the cluster.',
    );
    expect(error.cause).toBe('bad credentials');
  });

  it('gives a poison record its reason and detail', () => {
    const error = new PoisonRecordError('invalid-id', 'id is missing');
    expect(error).toMatchObject({ reason: 'invalid-id', detail: 'id is missing', message: 'invalid-id: id is missing' });
  });

  it('says how many records a failed batch had, why, and that the mapping retries it', () => {
    const error = new BatchNotWrittenError(7, cause);
    expect(error.message).toBe(
      'None of the 7 record(s) of the batch could be stored (Error: connect ECONNREFUSED 127.0.0.1:9092). The event-source mapping will retry the batch; check that Cassandra (CASSANDRA_CONTACT_POINTS) and Kafka are up.',
    );
    expect(error.cause).toBe(cause);
  });

  it('describes an Error by name and message, and anything else as text', () => {
    expect(describeError(new TypeError('x is undefined'))).toBe('TypeError: x is undefined');
    expect(describeError('plain')).toBe('plain');
    expect(describeError(42)).toBe('42');
  });
});

describe('isOrWraps', () => {
  const named = (name: string) => (error: object) => (error as { name?: unknown }).name === name;

  it('finds the error itself, its cause and its originalError, a few levels deep and no deeper', () => {
    const target = Object.assign(new Error('x'), { name: 'Target' });
    expect(isOrWraps(target, named('Target'))).toBe(true);
    expect(isOrWraps(new Error('outer', { cause: target }), named('Target'))).toBe(true);
    expect(isOrWraps(Object.assign(new Error('outer'), { originalError: target }), named('Target'))).toBe(true);
    let wrapped: unknown = target;
    for (let level = 0; level < 5; level++) wrapped = new Error(`level ${level}`, { cause: wrapped });
    expect(isOrWraps(wrapped, named('Target'))).toBe(true);
    expect(isOrWraps(new Error('one more', { cause: wrapped }), named('Target'))).toBe(false);
    expect(isOrWraps(new Error('other'), named('Target'))).toBe(false);
    expect(isOrWraps(undefined, named('Target'))).toBe(false);
  });
});
