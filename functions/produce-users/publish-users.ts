// Publishes created users to `users_created`: key = user id (a user's updates stay in order on one
// partition), all in-sync replicas acknowledge, compressed, with headers naming format and version.
import { CREATED_USER_CONTENT_TYPE, CREATED_USER_SCHEMA_VERSION, type CreatedUser } from '../shared/created-user';
import { USERS_CREATED_TOPIC } from '../../contract/topics';
import { publish, type Producer } from '../shared/producer';

export const CONTENT_TYPE_HEADER = 'content-type';
export const SCHEMA_VERSION_HEADER = 'schema-version';

export async function publishUsers(producer: Producer, users: CreatedUser[], topic: string = USERS_CREATED_TOPIC): Promise<number> {
  if (users.length === 0) return 0;
  await publish(
    producer,
    topic,
    users.map((user) => ({
      key: user.id,
      value: JSON.stringify(user),
      headers: { [CONTENT_TYPE_HEADER]: CREATED_USER_CONTENT_TYPE, [SCHEMA_VERSION_HEADER]: CREATED_USER_SCHEMA_VERSION },
    })),
  );
  return users.length;
}
