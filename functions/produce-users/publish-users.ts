// Publishes created users to `users_created`: key = user id (a user's updates stay in order on one
// partition), all in-sync replicas acknowledge, compressed, with headers naming format and version and
// the trace of the run that published them (trace-context.ts).
import { CREATED_USER_CONTENT_TYPE, CREATED_USER_SCHEMA_VERSION, type CreatedUser } from '../shared/created-user';
import { USERS_CREATED_TOPIC } from '../../contract/topics';
import { publish, type Producer } from '../shared/producer';
import { TRACEPARENT_HEADER } from '../shared/trace-context';

export const CONTENT_TYPE_HEADER = 'content-type';
export const SCHEMA_VERSION_HEADER = 'schema-version';

export interface PublishOptions {
  /** The run's W3C traceparent, carried by every record it publishes. */
  traceparent?: string;
  topic?: string;
}

export async function publishUsers(
  producer: Producer,
  users: CreatedUser[],
  { traceparent, topic = USERS_CREATED_TOPIC }: PublishOptions = {},
): Promise<number> {
  if (users.length === 0) return 0;
  await publish(
    producer,
    topic,
    users.map((user) => ({
      key: user.id,
      value: JSON.stringify(user),
      headers: {
        [CONTENT_TYPE_HEADER]: CREATED_USER_CONTENT_TYPE,
        [SCHEMA_VERSION_HEADER]: CREATED_USER_SCHEMA_VERSION,
        ...(traceparent ? { [TRACEPARENT_HEADER]: traceparent } : {}),
      },
    })),
  );
  return users.length;
}
