import { effectiveRetries, errorControlsOf } from './error-controls';

describe('error controls of a Kafka event-source mapping', () => {
  it("takes AWS's defaults for what is not set", () => {
    expect(errorControlsOf('fn', {}, undefined)).toEqual({
      maximumRetryAttempts: -1,
      maximumRecordAgeInSeconds: -1,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: false,
      onFailureDestination: undefined,
    });
  });

  it("reads the destination from the kafka event's own field, or from the controls for msk events", () => {
    expect(errorControlsOf('fn', { onFailureDestination: 'kafka://a.dlq' }, {}).onFailureDestination).toBe('kafka://a.dlq');
    expect(errorControlsOf('fn', {}, { onFailureDestination: 'kafka://b.dlq' }).onFailureDestination).toBe('kafka://b.dlq');
    expect(errorControlsOf('fn', { onFailureDestination: 'kafka://c' }, { onFailureDestination: 'kafka://c' }).onFailureDestination).toBe('kafka://c');
  });

  it('refuses two different destinations', () => {
    expect(() => errorControlsOf('fn', { onFailureDestination: 'kafka://a' }, { onFailureDestination: 'kafka://b' })).toThrow(/differ\. State it once/);
  });

  it('caps unlimited retries at 10 when a destination is set, as AWS does', () => {
    expect(effectiveRetries(errorControlsOf('fn', { onFailureDestination: 'kafka://a' }, {}))).toBe(10);
    expect(effectiveRetries(errorControlsOf('fn', {}, {}))).toBe(-1);
    expect(effectiveRetries(errorControlsOf('fn', { onFailureDestination: 'kafka://a' }, { maximumRetryAttempts: 3 }))).toBe(3);
  });

  it("refuses the mapping's own topic as its destination, as AWS does", () => {
    expect(() => errorControlsOf('fn', { topic: 'users_created', onFailureDestination: 'kafka://users_created' }, {})).toThrow(/is the mapping's own topic/);
  });

  it('refuses values AWS would reject at deploy time', () => {
    expect(() => errorControlsOf('fn', {}, { maximumRecordAgeInSeconds: 30 })).toThrow(/-1 or 60 to 604800/);
    expect(() => errorControlsOf('fn', {}, { maximumRetryAttempts: -2 })).toThrow(/-1 or 0 to 10000/);
  });

  it('refuses only the mapping’s own topic: another topic, or a destination without a topic to compare, passes', () => {
    expect(errorControlsOf('fn', { topic: 'users_created', onFailureDestination: 'kafka://users_created.dlq' }, {}).onFailureDestination).toBe(
      'kafka://users_created.dlq',
    );
    expect(errorControlsOf('fn', { onFailureDestination: 'kafka://users_created' }, {}).onFailureDestination).toBe('kafka://users_created');
    expect(errorControlsOf('fn', { topic: 'users_created' }, {}).onFailureDestination).toBeUndefined();
  });

  it('takes a record age of -1 or 60 to 604800 seconds, and retries of -1 to 10000, as AWS does', () => {
    for (const age of [-1, 60, 604_800]) expect(errorControlsOf('fn', {}, { maximumRecordAgeInSeconds: age }).maximumRecordAgeInSeconds).toBe(age);
    for (const age of [0, 59, 604_801]) expect(() => errorControlsOf('fn', {}, { maximumRecordAgeInSeconds: age })).toThrow(`got ${age}`);
    for (const retries of [-1, 0, 10_000]) expect(errorControlsOf('fn', {}, { maximumRetryAttempts: retries }).maximumRetryAttempts).toBe(retries);
    for (const retries of [-2, 10_001, 1.5]) expect(() => errorControlsOf('fn', {}, { maximumRetryAttempts: retries })).toThrow(`got ${retries}`);
  });
});
