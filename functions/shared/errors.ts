// Every failure the pipeline can name. Each carries what failed, with which input, and what to do,
// and a stable `code` that logs and metrics use.

export abstract class PipelineError extends Error {
  abstract readonly code: string;
}

/** A setting is missing or malformed; raised at cold start, before any work. */
export class ConfigurationError extends PipelineError {
  readonly code = 'CONFIGURATION';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}. Fix these environment variables and redeploy or restart.`);
    this.name = 'ConfigurationError';
  }
}

export type UsersApiFailure = 'timeout' | 'network' | 'http-status' | 'overloaded' | 'malformed-body';

/** The Random User API could not deliver users within the attempts and time allowed. */
export class UsersApiUnavailableError extends PipelineError {
  readonly code = 'USERS_API_UNAVAILABLE';
  constructor(
    readonly failure: UsersApiFailure,
    readonly url: string,
    readonly attempts: number,
    detail: string,
  ) {
    super(
      `The Random User API at ${url} failed after ${attempts} attempt(s) (${failure}: ${detail}). Nothing was published; the next schedule tick retries. If it persists, check the API's status or USERS_API_URL.`,
    );
    this.name = 'UsersApiUnavailableError';
  }
}

/** Publishing to Kafka failed; the invocation fails so the schedule's next run tries again. */
export class PublishFailedError extends PipelineError {
  readonly code = 'PUBLISH_FAILED';
  constructor(topic: string, brokers: string[], cause: unknown) {
    super(
      `Could not publish to topic ${topic} on ${brokers.join(',')}: ${describeError(cause)}. Check that the brokers are reachable (KAFKA_BROKERS) and the topic exists.`,
      { cause },
    );
    this.name = 'PublishFailedError';
  }
}

/**
 * Kafka or Cassandra refused the function's credentials. Retrying cannot help until the credentials
 * (or the user on the cluster) are fixed, so the message says where they come from.
 */
export class LoginRefusedError extends PipelineError {
  readonly code = 'LOGIN_REFUSED';
  constructor(
    readonly service: 'Kafka' | 'Cassandra',
    endpoints: string[],
    credentialsFrom: string,
    cause: unknown,
  ) {
    super(
      `${service} at ${endpoints.join(',')} refused the login (${describeError(cause)}). The credentials come from ${credentialsFrom}: check the username and password there, and that the user exists on the cluster.`,
      { cause },
    );
    this.name = 'LoginRefusedError';
  }
}

/** Why a consumed record can never be written, however often it is retried. */
export type PoisonReason = 'missing-value' | 'not-base64' | 'not-utf8' | 'not-json' | 'schema-invalid' | 'invalid-id';

export class PoisonRecordError extends PipelineError {
  readonly code = 'POISON_RECORD';
  constructor(
    readonly reason: PoisonReason,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'PoisonRecordError';
  }
}

/** No record of the batch could be written or dead-lettered: the whole invocation must be retried. */
export class BatchNotWrittenError extends PipelineError {
  readonly code = 'BATCH_NOT_WRITTEN';
  constructor(records: number, cause: unknown) {
    super(
      `None of the ${records} record(s) of the batch could be stored (${describeError(cause)}). The event-source mapping will retry the batch; check that Cassandra (CASSANDRA_CONTACT_POINTS) and Kafka are up.`,
      { cause },
    );
    this.name = 'BatchNotWrittenError';
  }
}

/**
 * True when `test` holds for `error` or for an error it wraps (`cause`; KafkaJS's and
 * cassandra-driver's `originalError`), a few levels deep. `test` gets the depth it was called at.
 */
export function isOrWraps(error: unknown, test: (error: object, depth: number) => boolean, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 5) return false;
  if (test(error, depth)) return true;
  const { cause, originalError } = error as { cause?: unknown; originalError?: unknown };
  return isOrWraps(cause, test, depth + 1) || isOrWraps(originalError, test, depth + 1);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
