// Sends records that can never be written to `users_created.dlq`, byte for byte as they came (key,
// value, headers) plus headers saying why and where from, so they can be inspected and replayed.
import type { PoisonReason } from '../shared/errors';
import { canonicalBase64, headersOf, type LambdaKafkaRecord } from '../../contract/lambda-kafka-event';
import { USERS_DEAD_LETTER_TOPIC } from '../../contract/topic-names';
import { publish, type Producer } from '../shared/producer';
import { DLQ_HEADERS } from '../../contract/dead-letter-headers';

/** A record that will not be retried again: a poison record, or one the event-source mapping gave up on. */
export interface DeadLetter<Reason extends string = string> {
  record: LambdaKafkaRecord;
  reason: Reason;
  detail: string;
}

export type PoisonRecord = DeadLetter<PoisonReason>;

/** The original bytes when the field is base64, else the field's text as it came: nothing is dropped. */
function originalBytes(encoded: string | null | undefined): Buffer | null {
  if (encoded === undefined || encoded === null) return null;
  return canonicalBase64(encoded) ?? Buffer.from(encoded, 'utf8');
}

export async function deadLetter(producer: Producer, poison: DeadLetter[], now: Date = new Date(), topic: string = USERS_DEAD_LETTER_TOPIC): Promise<void> {
  if (poison.length === 0) return;
  await publish(
    producer,
    topic,
    poison.map(({ record, reason, detail }) => ({
      key: originalBytes(record.key),
      value: originalBytes(record.value),
      headers: {
        ...headersOf(record),
        [DLQ_HEADERS.reason]: reason,
        [DLQ_HEADERS.detail]: detail,
        [DLQ_HEADERS.sourceTopic]: record.topic,
        [DLQ_HEADERS.sourcePartition]: String(record.partition),
        [DLQ_HEADERS.sourceOffset]: String(record.offset),
        [DLQ_HEADERS.sourceTimestamp]: String(record.timestamp),
        [DLQ_HEADERS.failedAt]: now.toISOString(),
      },
    })),
  );
}
