import { toLambdaKafkaRecord } from './build-lambda-kafka-event';
import { nextStep, recordsToRetry, splitByAge, type DeliveryControls } from './delivery-decisions';

const record = (partition: number, offset: number, timestamp = 0) => toLambdaKafkaRecord({ topic: 'users_created', partition, offset, timestamp, value: 'v' });
const ids = (records: Array<{ partition: number; offset: number }> | undefined) => records?.map((r) => `${r.partition}:${r.offset}`);
const failures = (...items: Array<[string, number | string]>) => ({
  batchItemFailures: items.map(([partition, offset]) => ({ itemIdentifier: { partition, offset } })),
});
const batch = [record(0, 5), record(0, 6), record(0, 7), record(1, 2), record(1, 3)];
const controls: DeliveryControls = { maximumRetryAttempts: 2, maximumRecordAgeInSeconds: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: true };

describe('recordsToRetry', () => {
  it('retries each reported partition from its lowest failed offset, whatever order the failures come in', () => {
    expect(ids(recordsToRetry(batch, failures(['users_created-0', 7], ['users_created-0', 6]), true))).toEqual(['0:6', '0:7']);
    expect(ids(recordsToRetry(batch, failures(['users_created-1', '3'], ['users_created-0', 7]), true))).toEqual(['0:7', '1:3']);
  });

  it('retries nothing for an empty or missing list, and everything for a malformed one', () => {
    expect(recordsToRetry(batch, { batchItemFailures: [] }, true)).toBeUndefined();
    expect(recordsToRetry(batch, null, true)).toBeUndefined();
    expect(ids(recordsToRetry(batch, { batchItemFailures: [{ itemIdentifier: { partition: 'users_created-0' } }] }, true))).toEqual(ids(batch));
    expect(ids(recordsToRetry(batch, { batchItemFailures: 'all' }, true))).toEqual(ids(batch));
  });

  it('retries everything for a response it cannot read, and nothing for one naming no record of the batch', () => {
    expect(recordsToRetry(batch, {}, true)).toBeUndefined();
    expect(recordsToRetry(batch, { batchItemFailures: null }, true)).toBeUndefined();
    expect(ids(recordsToRetry(batch, { batchItemFailures: [null] }, true))).toEqual(ids(batch));
    expect(ids(recordsToRetry(batch, { batchItemFailures: [{}] }, true))).toEqual(ids(batch));
    expect(ids(recordsToRetry(batch, { batchItemFailures: [{ itemIdentifier: { offset: 5 } }] }, true))).toEqual(ids(batch));
    expect(ids(recordsToRetry(batch, { batchItemFailures: { 0: { itemIdentifier: { partition: 'users_created-0', offset: 5 } }, length: 1 } }, true))).toEqual(
      ids(batch),
    );
    expect(recordsToRetry(batch, failures(['users_created-9', 0]), true)).toBeUndefined();
  });

  it('ignores the response without ReportBatchItemFailures, as AWS does', () => {
    expect(recordsToRetry(batch, failures(['users_created-0', 5]), false)).toBeUndefined();
  });
});

describe('splitByAge', () => {
  it('sends records older than the maximum age away, and keeps the rest', () => {
    const { expired, fresh } = splitByAge([record(0, 1, 1_000), record(0, 2, 100_000)], 120_000, 60);
    expect(ids(expired)).toEqual(['0:1']);
    expect(ids(fresh)).toEqual(['0:2']);
    expect(splitByAge([record(0, 1, 0)], 1e12, -1).expired).toEqual([]);
    // Exactly as old as allowed is not too old.
    expect(splitByAge([record(0, 1, 60_000)], 120_000, 60)).toEqual({ expired: [], fresh: [record(0, 1, 60_000)] });
  });
});

describe('nextStep', () => {
  it('is done when the function succeeded and reported nothing', () => {
    expect(nextStep(batch, { ok: true, response: null }, 0, controls)).toEqual({ step: 'done' });
  });

  it('retries only the reported records of a partial batch', () => {
    const step = nextStep(batch, { ok: true, response: failures(['users_created-1', 3]) }, 0, controls);
    expect(step.step === 'retry' && ids(step.records)).toEqual(['1:3']);
  });

  it('splits a failed batch in two when bisect is on, without spending a retry', () => {
    const step = nextStep(batch, { ok: false, error: 'boom' }, 2, { ...controls, bisectBatchOnFunctionError: true });
    expect(step.step === 'bisect' && step.halves.map(ids)).toEqual([
      ['0:5', '0:6', '0:7'],
      ['1:2', '1:3'],
    ]);
    expect(nextStep([record(0, 1)], { ok: false, error: 'boom' }, 0, { ...controls, bisectBatchOnFunctionError: true }).step).toBe('retry');
  });

  it('gives up after maximumRetryAttempts retries, saying why', () => {
    expect(nextStep(batch, { ok: false, error: 'boom' }, 1, controls).step).toBe('retry');
    expect(nextStep(batch, { ok: false, error: 'boom' }, 2, controls)).toEqual({
      step: 'give-up',
      records: batch,
      reason: 'retries-exhausted',
      detail: 'failed after 3 attempt(s): boom',
    });
    expect(nextStep(batch, { ok: false, error: 'boom' }, 10_000, { ...controls, maximumRetryAttempts: -1 }).step).toBe('retry');
    expect(nextStep(batch, { ok: true, response: failures(['users_created-1', 3]) }, 2, controls)).toMatchObject({
      step: 'give-up',
      detail: 'failed after 3 attempt(s): reported in batchItemFailures',
    });
  });
});
