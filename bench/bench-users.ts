// Users for the benchmarks: the recorded API users, formatted as produceUsers publishes them, each
// copy with an id of its own so that every benchmark row is a new row.
import { randomUUID } from 'node:crypto';
import type { CreatedUser } from '../functions/shared/created-user';
import { checkRandomUser } from '../functions/produce-users/random-user';
import { toCreatedUser } from '../functions/produce-users/to-created-user';
import { recordedUsers } from '../infra/local/users-api/recorded-users';
import { buildLambdaKafkaEvent } from '../infra/local/kafka-emulator/build-lambda-kafka-event';
import type { LambdaKafkaEvent } from '../contract/lambda-kafka-event';

export function benchUsers(count: number): CreatedUser[] {
  const base = recordedUsers().map((record) => {
    const check = checkRandomUser(record);
    if (!check.ok) throw new Error(check.reason);
    return toCreatedUser(check.user);
  });
  return Array.from({ length: count }, (_, i) => ({ ...base[i % base.length], id: randomUUID() }));
}

/** The Lambda event the mapping would send for these users, across three partitions. */
export function eventOf(users: CreatedUser[], topic = 'users_created'): LambdaKafkaEvent {
  return buildLambdaKafkaEvent(
    { kind: 'kafka', bootstrapServers: '127.0.0.1:9092' },
    users.map((user, i) => ({
      topic,
      partition: i % 3,
      offset: i,
      timestamp: Date.now(),
      key: user.id,
      value: JSON.stringify(user),
      headers: { 'schema-version': '1' },
    })),
  );
}
