// The headers a dead letter on users_created.dlq carries beside the original record's own: why it is
// there and where it came from. writeUsers writes them; `npm run dlq`, the console and the drills read them.
export const DLQ_HEADERS = {
  reason: 'dlq-reason',
  detail: 'dlq-detail',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  sourceTimestamp: 'dlq-source-timestamp',
  failedAt: 'dlq-failed-at',
} as const;
