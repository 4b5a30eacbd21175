import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { createTopicsWithLeaders } from '../../infra/local/stack/topics-with-leaders';
import { testKafka } from '../support/services';

// A topic is ready when a producer can use it at once: a leader the metadata names but that does not
// serve its partition yet refuses the records sent to it, and a plain producer's retry then writes
// their neighbours twice. Tests and the bench publish right after creating their topics.
const kafka = testKafka();
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(() => admin.disconnect());

it('makes topics a plain producer writes each record to once, right after it returns', async () => {
  const counts: string[] = [];
  // Several topics: a leader not yet serving came up about one creation in two before the wait
  // asked for offsets as well as metadata.
  for (let i = 0; i < 8; i++) {
    const topic = `leaders-test-${randomUUID().slice(0, 8)}`;
    await expect(createTopicsWithLeaders(admin, [{ topic, numPartitions: 3 }])).resolves.toBe(true);
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages: [0, 1, 2].flatMap((partition) => [0, 1].map((n) => ({ value: `${partition}-${n}`, partition }))) });
    } finally {
      await producer.disconnect();
    }
    const offsets = await admin.fetchTopicOffsets(topic);
    counts.push(
      offsets
        .sort((a, b) => a.partition - b.partition)
        .map((o) => o.high)
        .join(','),
    );
    await admin.deleteTopics({ topics: [topic] });
  }
  expect(counts).toEqual(Array(8).fill('2,2,2'));
});

it('answers false for topics that exist already, and waits for them all the same', async () => {
  const topic = `leaders-test-${randomUUID().slice(0, 8)}`;
  await createTopicsWithLeaders(admin, [{ topic, numPartitions: 2 }]);
  await expect(createTopicsWithLeaders(admin, [{ topic, numPartitions: 2 }])).resolves.toBe(false);
  await admin.deleteTopics({ topics: [topic] });
});
