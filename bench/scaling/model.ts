// How the pipeline's AWS footprint grows with the work, from what `npm run bench` measured and what
// AWS publishes as limits (aws-limits.json, each with its page). Pure arithmetic: `npm run scaling`
// feeds it bench/results/latest.json and writes docs/scaling.md, so the model moves with the figures.
import { MAX_RESULTS_PER_REQUEST } from '../../functions/produce-users/random-user-client';
import { MAX_USERS_PER_RUN } from '../../functions/shared/config';
import limits from './aws-limits.json';

export type AwsLimits = typeof limits;

/** What the model takes from one benchmark run and the deployment's settings. */
export interface MeasuredInputs {
  /** Rows one writeUsers invocation writes a second, on a batch of the mapping's size, against the local node. */
  writerRowsPerSec: number;
  /** Requests one invocation keeps in flight (CASSANDRA_WRITE_CONCURRENCY). */
  writeConcurrency: number;
  /** Rows one request carries (writeUsers' ROWS_PER_REQUEST): Keyspaces meters queries a connection, not rows. */
  rowsPerRequest: number;
  /** Records one produceUsers run publishes a second (encode, frame, send), the users already fetched. */
  publishPerSec: number;
  /** One record on users_created, in bytes (Avro in the registry's wire format). */
  recordBytes: number;
  /** One record as the mapping delivers it to the function (JSON, base64 fields), in bytes. */
  eventRecordBytes: number;
  /** One row of created_users as Keyspaces meters it, in bytes. */
  rowBytes: number;
  batchSize: number;
  batchingWindowSeconds: number;
  /** writeUsers' memory, MB: what its GB-seconds are counted in. */
  writerMemoryMb: number;
  /** Partitions of users_created as deployed: the least the model gives. */
  minimumPartitions: number;
  /** Connections writeUsers opens to each Keyspaces endpoint, and the endpoints it finds. */
  keyspacesConnections: number;
}

export interface ScalePlan {
  usersPerMinute: number;
  recordsPerSec: number;
  /** Rows one invocation writes a second on Keyspaces: the local rate, or its writes in flight over Keyspaces' latency. */
  rowsPerInvocationPerSec: number;
  /** produceUsers runs a minute: one per USERS_PER_RUN's maximum of users. */
  producerRunsPerMinute: number;
  /** Seconds one of those runs spends publishing its share. */
  producerPublishSeconds: number;
  /** Requests a minute to the Random User API (5,000 users each at most). */
  apiRequestsPerMinute: number;
  megabytesPerSecIn: number;
  /** Partitions of users_created: enough invocations at once to keep up, twice over. */
  partitions: number;
  /** writeUsers' concurrency: one invocation per partition at a time. */
  lambdaConcurrency: number;
  /** Provisioned pollers: one per ~5 MB/s, and one per five concurrent invocations, at least one. */
  pollers: number;
  invocationsPerMonth: number;
  gbSecondsPerMonth: number;
  /** Keyspaces write request units a month (on-demand) and write capacity units a second (provisioned). */
  writeRequestUnitsPerMonth: number;
  writeCapacityUnits: number;
  /** Keyspaces connections needed at 3,000 queries a second each, against those writeUsers opens. */
  keyspacesConnectionsNeeded: number;
  /** The published limits this load meets or passes, first one first. */
  limitsMet: string[];
}

/** The month the model counts in: 30 days. */
export const HOURS_PER_MONTH = 30 * 24;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
/** Headroom on the partitions: a backlog drains while new records keep coming. */
const PARTITION_HEADROOM = 2;
/** Concurrent invocations one poller drives (AWS's scaling-modes page: up to five). */
const INVOCATIONS_PER_POLLER = 5;

export function plan(usersPerMinute: number, m: MeasuredInputs, l: AwsLimits = limits): ScalePlan {
  const recordsPerSec = usersPerMinute / 60;
  const producerRunsPerMinute = Math.ceil(usersPerMinute / MAX_USERS_PER_RUN);
  const producerPublishSeconds = usersPerMinute / producerRunsPerMinute / m.publishPerSec;
  const apiRequestsPerMinute = producerRunsPerMinute * Math.ceil(usersPerMinute / producerRunsPerMinute / MAX_RESULTS_PER_REQUEST);
  const megabytesPerSecIn = (recordsPerSec * m.recordBytes) / 1e6;
  // A local node answers in well under a millisecond; Keyspaces in up to ten: the invocation is then
  // bound by how many rows it keeps in flight, not by its CPU.
  const rowsPerInvocationPerSec = Math.min(m.writerRowsPerSec, (m.writeConcurrency * m.rowsPerRequest) / (l.keyspacesWriteLatencyMs.value / 1000));
  const partitions = Math.max(m.minimumPartitions, Math.ceil((recordsPerSec * PARTITION_HEADROOM) / rowsPerInvocationPerSec));
  const lambdaConcurrency = partitions;
  const pollers = Math.max(1, Math.ceil(megabytesPerSecIn / l.pollerMegabytesPerSecond.value), Math.ceil(lambdaConcurrency / INVOCATIONS_PER_POLLER));
  // Below a full batch a second per partition, each partition is invoked when its window closes: an
  // upper bound, since one invocation may carry several partitions' records.
  const invocationsPerSec = Math.min(recordsPerSec, Math.max(recordsPerSec / m.batchSize, partitions / m.batchingWindowSeconds));
  const recordsPerInvocation = recordsPerSec / invocationsPerSec;
  const secondsPerInvocation = recordsPerInvocation / rowsPerInvocationPerSec;
  const invocationsPerMonth = invocationsPerSec * SECONDS_PER_MONTH;
  const gbSecondsPerMonth = invocationsPerMonth * secondsPerInvocation * (m.writerMemoryMb / 1024);
  const unitsPerRow = Math.ceil(m.rowBytes / l.keyspacesWriteUnitBytes.value);
  const keyspacesConnectionsNeeded = Math.ceil(recordsPerSec / m.rowsPerRequest / l.keyspacesQueriesPerConnectionPerSecond.value);

  const limitsMet: string[] = [];
  if (usersPerMinute > MAX_USERS_PER_RUN)
    limitsMet.push(
      `USERS_PER_RUN's ${MAX_USERS_PER_RUN.toLocaleString('en-US')} a run: ${producerRunsPerMinute} produceUsers runs a minute, which one schedule does not start`,
    );
  if (producerPublishSeconds > 60) limitsMet.push(`the minute between runs: publishing takes ${producerPublishSeconds.toFixed(0)} s`);
  if (pollers > l.maximumPollers.value) limitsMet.push(`${l.maximumPollers.value} pollers a mapping: ${pollers} needed`);
  if (keyspacesConnectionsNeeded > m.keyspacesConnections * lambdaConcurrency)
    limitsMet.push(`Keyspaces' 3,000 queries a second a connection: ${keyspacesConnectionsNeeded} connections needed`);
  if (m.batchSize * m.eventRecordBytes > l.lambdaPayloadBytes.value)
    limitsMet.push(`Lambda's 6 MB payload: a full batch is ${((m.batchSize * m.eventRecordBytes) / 1e6).toFixed(1)} MB`);

  return {
    usersPerMinute,
    recordsPerSec,
    rowsPerInvocationPerSec,
    producerRunsPerMinute,
    producerPublishSeconds,
    apiRequestsPerMinute,
    megabytesPerSecIn,
    partitions,
    lambdaConcurrency,
    pollers,
    invocationsPerMonth,
    gbSecondsPerMonth,
    writeRequestUnitsPerMonth: recordsPerSec * SECONDS_PER_MONTH * unitsPerRow,
    writeCapacityUnits: Math.ceil(recordsPerSec * unitsPerRow),
    keyspacesConnectionsNeeded,
    limitsMet,
  };
}
