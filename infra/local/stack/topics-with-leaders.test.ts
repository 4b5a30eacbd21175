import type { Admin, ITopicMetadata } from 'kafkajs';
import { KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { StackError } from './stack-error';
import { createTopicsWithLeaders, isNotYet, topicsAwaitingLeaders } from './topics-with-leaders';

const led = (name: string, leaders: number[]): ITopicMetadata => ({
  name,
  partitions: leaders.map((leader, partitionId) => ({ partitionId, leader, replicas: [1, 2, 3], isr: [1, 2, 3], partitionErrorCode: 0 })),
});

// The errors KafkaJS makes of a broker's error codes, as its metadata parser throws them.
const { createErrorFromCode } = jest.requireActual<{ createErrorFromCode(code: number): Error }>('kafkajs/src/protocol/error');
/** A broker that has not applied a new topic yet. */
const unknownTopic = () => createErrorFromCode(3);
const leaderNotAvailable = () => createErrorFromCode(5);
/** A leader named in the metadata that does not serve its partition yet. */
const notLeader = () => createErrorFromCode(6);
const topicAuthorizationFailed = () => createErrorFromCode(29);

/**
 * An admin whose metadata answers, and whose answers for a topic's offsets, are played in order; the
 * last of each repeats. Offsets are answered at once unless `offsets` says otherwise.
 */
function scriptedAdmin(
  answers: Array<ITopicMetadata[] | Error>,
  offsets: Array<Error | 'served'> = ['served'],
): { admin: Admin; created: unknown[]; asked: () => number; offsetsAsked: string[] } {
  const created: unknown[] = [];
  const offsetsAsked: string[] = [];
  let asked = 0;
  const admin = {
    createTopics: async (options: unknown) => (created.push(options), true),
    fetchTopicMetadata: async () => {
      const answer = answers[Math.min(asked++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return { topics: answer };
    },
    fetchTopicOffsets: async (topic: string) => {
      const answer = offsets[Math.min(offsetsAsked.push(topic) - 1, offsets.length - 1)];
      if (answer instanceof Error) throw answer;
      return [];
    },
  } as unknown as Admin;
  return { admin, created, asked: () => asked, offsetsAsked };
}

describe('topicsAwaitingLeaders', () => {
  const wanted = [
    { topic: 'users_created', numPartitions: 3 },
    { topic: 'users_created.dlq', numPartitions: 1 },
  ];

  it('is empty once every partition of every topic has a leader', () => {
    expect(topicsAwaitingLeaders(wanted, [led('users_created', [1, 2, 3]), led('users_created.dlq', [2])])).toEqual([]);
  });

  it('names a topic the metadata leaves out, one with a partition unled, and one with partitions still missing', () => {
    expect(topicsAwaitingLeaders(wanted, [led('users_created', [1, -1, 3])])).toEqual(['users_created', 'users_created.dlq']);
    expect(topicsAwaitingLeaders(wanted, [led('users_created', [1, 2]), led('users_created.dlq', [1])])).toEqual(['users_created']);
  });

  it('takes the broker default partition count as any count above none', () => {
    expect(topicsAwaitingLeaders([{ topic: 't' }], [led('t', [1])])).toEqual([]);
    expect(topicsAwaitingLeaders([{ topic: 't' }], [led('t', [])])).toEqual(['t']);
  });
});

describe('isNotYet', () => {
  it('holds for the three answers of a cluster still spreading a new topic, bare or wrapped by KafkaJS after its retries', () => {
    expect(isNotYet(unknownTopic())).toBe(true);
    expect(isNotYet(leaderNotAvailable())).toBe(true);
    expect(isNotYet(notLeader())).toBe(true);
    expect(isNotYet(new KafkaJSNumberOfRetriesExceeded(unknownTopic(), { retryCount: 5, retryTime: 100 }))).toBe(true);
  });

  it('does not hold for anything else', () => {
    expect(isNotYet(topicAuthorizationFailed())).toBe(false);
    expect(isNotYet(new Error('connect ECONNREFUSED'))).toBe(false);
    expect(isNotYet(undefined)).toBe(false);
  });
});

describe('createTopicsWithLeaders', () => {
  const topics = [{ topic: 'users_created', numPartitions: 2, replicationFactor: 3 }];

  it('creates without KafkaJS waiting, and waits through "unknown topic" and unled partitions until every partition is led', async () => {
    const { admin, created, asked, offsetsAsked } = scriptedAdmin([unknownTopic(), [led('users_created', [1, -1])], [led('users_created', [1, 2])]]);
    await expect(createTopicsWithLeaders(admin, topics, { pollMs: 1 })).resolves.toBe(true);
    expect(created).toEqual([{ topics, waitForLeaders: false }]);
    expect(asked()).toBe(3);
    expect(offsetsAsked).toEqual(['users_created']);
  });

  it('waits, once the metadata names every leader, until the leaders answer for the partitions’ offsets', async () => {
    const { admin, asked, offsetsAsked } = scriptedAdmin([[led('users_created', [1, 1])]], [notLeader(), notLeader(), 'served']);
    await expect(createTopicsWithLeaders(admin, topics, { pollMs: 1 })).resolves.toBe(true);
    expect(offsetsAsked).toEqual(['users_created', 'users_created', 'users_created']);
    expect(asked()).toBe(3);
  });

  it('throws at once an error that is not the cluster catching up', async () => {
    const refused = topicAuthorizationFailed();
    const { admin, asked } = scriptedAdmin([refused]);
    await expect(createTopicsWithLeaders(admin, topics, { pollMs: 1 })).rejects.toBe(refused);
    expect(asked()).toBe(1);
  });

  it('gives up at its deadline with a StackError that names the topic, the last answer and what to check', async () => {
    const { admin } = scriptedAdmin([unknownTopic()]);
    const failure = createTopicsWithLeaders(admin, topics, { timeoutMs: 50, pollMs: 5 });
    await expect(failure).rejects.toThrow(StackError);
    await expect(failure).rejects.toThrow(
      /^Kafka created users_created but no broker served every partition of it as leader within 0\.05 s \(last answer: This server does not host this topic-partition\)\. Check that every broker runs \(npm run status\)/,
    );
  });
});
