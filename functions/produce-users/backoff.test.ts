import { backoffDelay, parseRetryAfter } from './backoff';

describe('backoff', () => {
  const policy = { baseMs: 100, capMs: 1000 };

  it('doubles the ceiling each retry up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, policy, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('draws the delay between zero and the ceiling (full jitter)', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.25)).toBe(100);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('reads delay-seconds with spaces around them, and nothing else as seconds', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(parseRetryAfter(' 5 ', now)).toBe(5000);
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('   ', now)).toBeUndefined();
    // Neither is delay-seconds, nor a date Date.parse can read.
    expect(parseRetryAfter('x30', now)).toBeUndefined();
    expect(parseRetryAfter('12 apples', now)).toBeUndefined();
  });
});
