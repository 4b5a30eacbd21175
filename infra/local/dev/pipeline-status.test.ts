import { errors, types, type Client } from 'cassandra-driver';
import { describeRowCount, rowCount } from './pipeline-status';

// The count's outcomes as the driver gives them; test/e2e/npm-start.test.ts reads a real one.
const answering = (answer: () => Promise<unknown>) => ({ execute: answer }) as unknown as Client;

describe('rowCount', () => {
  it('reads the count Cassandra gives', async () => {
    const client = answering(async () => ({ first: () => ({ n: types.Long.fromNumber(1234) }) }));
    await expect(rowCount(client)).resolves.toBe(1234);
  });

  it('leaves the count unknown, rather than failing the status, when Cassandra’s range read times out', async () => {
    const timedOut = new errors.ResponseError(types.responseErrorCodes.readTimeout, 'Operation timed out - received only 0 responses.');
    await expect(rowCount(answering(() => Promise.reject(timedOut)))).resolves.toBeUndefined();
  });

  it('leaves it unknown when the driver stops waiting first', async () => {
    const timedOut = new errors.OperationTimedOutError('The host 127.0.0.1:9042 did not reply before timeout 60000 ms');
    await expect(rowCount(answering(() => Promise.reject(timedOut)))).resolves.toBeUndefined();
  });

  it('throws any other error: a table that is missing is not a count that is unknown', async () => {
    const missing = new errors.ResponseError(types.responseErrorCodes.invalid, 'table created_users does not exist');
    await expect(rowCount(answering(() => Promise.reject(missing)))).rejects.toBe(missing);
  });
});

describe('describeRowCount', () => {
  it('says a count that timed out was not counted, and why', () => {
    expect(describeRowCount(undefined)).toBe('not counted (COUNT(*) over the whole table timed out)');
    expect(describeRowCount(7)).toBe('7 row(s)');
  });
});
