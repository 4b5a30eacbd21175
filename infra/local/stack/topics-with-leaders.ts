// Creates topics and waits until each of their partitions has a leader that serves it, on one broker
// or a cluster.
//
// KafkaJS's createTopics({ waitForLeaders: true }) asks one broker for the new topics and retries only
// LEADER_NOT_AVAILABLE. In a KRaft cluster that broker may not have applied the controller's record
// yet and answers UNKNOWN_TOPIC_OR_PARTITION, on which KafkaJS gives up: a three-node stack:up failed
// so. Here every answer of a cluster still catching up means "not yet", until a deadline that names
// the topics still waiting.
import type { Admin, ITopicConfig, ITopicMetadata } from 'kafkajs';
import { isOrWraps } from '../../../functions/shared/errors';
import { sleep } from './managed-process';
import { StackError } from './stack-error';

/** What a broker answers while a new topic is still spreading through the cluster. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

/** The topics of `wanted` that the metadata does not yet show whole, each partition led. */
export function topicsAwaitingLeaders(wanted: Array<Pick<ITopicConfig, 'topic' | 'numPartitions'>>, metadata: ITopicMetadata[]): string[] {
  const byName = new Map(metadata.map((topic) => [topic.name, topic]));
  return wanted
    .filter(({ topic, numPartitions }) => {
      const partitions = byName.get(topic)?.partitions ?? [];
      if (partitions.length === 0 || (numPartitions !== undefined && partitions.length < numPartitions)) return true;
      return partitions.some((partition) => partition.leader < 0);
    })
    .map(({ topic }) => topic);
}

/**
 * True when a metadata error only says the cluster has not caught up with a new topic, itself or as
 * the cause KafkaJS wraps it in once its own retries run out.
 */
export function isNotYet(error: unknown): boolean {
  return isOrWraps(error, (inner) => NOT_YET.has(String((inner as { type?: unknown }).type)));
}

/**
 * Creates `topics` (false when all existed already, as KafkaJS answers) and returns once every
 * partition of each has a leader serving it, or throws a StackError naming those still without one.
 */
export async function createTopicsWithLeaders(
  admin: Admin,
  topics: ITopicConfig[],
  { timeoutMs = 60_000, pollMs = 200 }: { timeoutMs?: number; pollMs?: number } = {},
): Promise<boolean> {
  const created = await admin.createTopics({ topics, waitForLeaders: false });
  const names = topics.map(({ topic }) => topic);
  const deadline = Date.now() + timeoutMs;
  let waiting = names;
  let lastError = '';
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
      waiting = topicsAwaitingLeaders(topics, metadata);
      if (waiting.length === 0) {
        // A leader in the metadata may not serve its partition yet: records sent to it are refused
        // (NOT_LEADER_FOR_PARTITION) and a plain producer's retry writes their neighbours twice. A
        // leader that answers for the partition's offsets serves it.
        waiting = names;
        await Promise.all(names.map((name) => admin.fetchTopicOffsets(name)));
        return created;
      }
    } catch (error) {
      if (!isNotYet(error)) throw error;
      lastError = ` (last answer: ${(error as Error).message})`;
    }
    if (Date.now() >= deadline)
      throw new StackError(
        `Kafka created ${waiting.join(', ')} but no broker served every partition of ${waiting.length === 1 ? 'it' : 'them'} as leader within ${timeoutMs / 1000} s${lastError}. Check that every broker runs (npm run status) and read their logs under .local/logs.`,
      );
    await sleep(pollMs);
  }
}
