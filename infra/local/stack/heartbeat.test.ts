import { withHeartbeat } from './heartbeat';

describe('withHeartbeat', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('says what it is still doing every interval until the work settles, then stops', async () => {
    const lines: string[] = [];
    let finish: (value: string) => void = () => undefined;
    const done = withHeartbeat((line) => lines.push(line), 'resolving kafka jars', new Promise<string>((resolve) => (finish = resolve)), 5000);
    await jest.advanceTimersByTimeAsync(12_000);
    expect(lines).toEqual(['still resolving kafka jars (5 s)', 'still resolving kafka jars (10 s)']);
    finish('ok');
    await expect(done).resolves.toBe('ok');
    await jest.advanceTimersByTimeAsync(20_000);
    expect(lines).toHaveLength(2);
  });

  it('stops when the work fails, and passes the failure on', async () => {
    const lines: string[] = [];
    const failing = withHeartbeat((line) => lines.push(line), 'starting', Promise.reject(new Error('no JDK')), 1000);
    await expect(failing).rejects.toThrow('no JDK');
    await jest.advanceTimersByTimeAsync(5000);
    expect(lines).toEqual([]);
  });
});
