// Publishes created users to `users_created`: key = user id (a user's updates stay in order on one
// partition), value = the user as the contract's Avro record in the registry's wire format (the
// schema id in its first bytes), all in-sync replicas acknowledge, compressed, with the trace of the
// run that published them (trace-context.ts). Every user is encoded before anything is sent: a user
// that does not fit the schema fails the run with nothing published.
import type { CreatedUser } from '../shared/created-user';
import { USERS_CREATED_TOPIC } from '../../contract/topic-names';
import { publish, type Producer } from '../shared/producer';
import { TRACEPARENT_HEADER } from '../shared/trace-context';
import type { CreatedUserEncoder } from './created-user-encoder';

export interface PublishOptions {
  /** The run's W3C traceparent, carried by every record it publishes. */
  traceparent?: string;
  topic?: string;
}

export async function publishUsers(
  producer: Producer,
  encoder: CreatedUserEncoder,
  users: CreatedUser[],
  { traceparent, topic = USERS_CREATED_TOPIC }: PublishOptions = {},
): Promise<number> {
  if (users.length === 0) return 0;
  const values = encoder.encodeAll(users);
  await publish(
    producer,
    topic,
    users.map((user, i) => ({
      key: user.id,
      value: values[i],
      headers: traceparent ? { [TRACEPARENT_HEADER]: traceparent } : {},
    })),
  );
  return users.length;
}
