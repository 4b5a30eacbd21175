// Redrive: republishes chosen dead letters to the topic they came from (users_created), with their
// original key, value and headers (unwrapped from the mapping's on-failure record where it wrote them), and a header naming the dead letter (dlq-redriven-from). Before
// publishing it reads that header back from users_created, from the oldest chosen record's time on,
// so a dead letter already redriven is never redriven again, however often the command runs.
import type { Kafka } from 'kafkajs';
import { USERS_CREATED_TOPIC } from '../../../contract/topic-names';
import { openIdempotentProducer, publish } from '../../../functions/shared/producer';
import { REDRIVEN_FROM_HEADER, type DeadLetterEntry } from './dead-letter-entry';
import { readTopic } from './topic-reader';

export interface RedriveReport {
  chosen: number;
  redriven: number;
  alreadyRedriven: number;
  positions: string[];
}

/** Positions (`partition:offset`) of dead letters already republished to the topic. */
async function alreadyRedriven(kafka: Kafka, topic: string, since: number): Promise<Set<string>> {
  const admin = kafka.admin();
  await admin.connect();
  // The redriven copy was published after its dead letter was; read from that time on.
  const from = await admin.fetchTopicOffsetsByTimestamp(topic, since).finally(() => admin.disconnect());
  const records = await readTopic(kafka, topic, new Map(from.map((p) => [p.partition, p.offset])));
  return new Set(records.map((r) => r.headers[REDRIVEN_FROM_HEADER]).filter((h): h is string => h !== undefined));
}

export async function redrive(kafka: Kafka, chosen: DeadLetterEntry[], { dryRun = false, topic = USERS_CREATED_TOPIC } = {}): Promise<RedriveReport> {
  if (chosen.length === 0) return { chosen: 0, redriven: 0, alreadyRedriven: 0, positions: [] };
  const oldest = Math.min(...chosen.map((entry) => Number(entry.timestamp)));
  const done = await alreadyRedriven(kafka, topic, oldest);
  const todo = chosen.filter((entry) => !done.has(entry.position));
  if (todo.length > 0 && !dryRun) {
    const producer = await openIdempotentProducer(kafka);
    try {
      await publish(
        producer,
        topic,
        todo.map((entry) => ({
          key: entry.original.key,
          value: entry.original.value,
          headers: { ...entry.original.headers, [REDRIVEN_FROM_HEADER]: entry.position },
        })),
      );
    } finally {
      await producer.disconnect();
    }
  }
  return { chosen: chosen.length, redriven: todo.length, alreadyRedriven: chosen.length - todo.length, positions: todo.map((entry) => entry.position) };
}
