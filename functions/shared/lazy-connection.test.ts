import { LazyConnection } from './lazy-connection';

describe('a connection opened on first use', () => {
  function counted(open: () => Promise<string>) {
    const opened: number[] = [];
    const closed: string[] = [];
    const connection = new LazyConnection(
      async () => {
        opened.push(opened.length + 1);
        return open();
      },
      async (c) => void closed.push(c),
    );
    return { connection, opened, closed };
  }

  it('opens once and is shared by every later use', async () => {
    const c = counted(async () => 'conn');
    await expect(Promise.all([c.connection.get(), c.connection.get()])).resolves.toEqual(['conn', 'conn']);
    await c.connection.get();
    expect(c.opened).toEqual([1]);
  });

  it('forgets a failed open, so the next use tries again', async () => {
    const attempts = [Promise.reject(new Error('ECONNREFUSED')), Promise.resolve('conn')];
    const c = counted(() => attempts.shift()!);
    await expect(c.connection.get()).rejects.toThrow('ECONNREFUSED');
    await expect(c.connection.get()).resolves.toBe('conn');
    expect(c.opened).toEqual([1, 2]);
  });

  it('closes what it opened, and opens afresh after closing', async () => {
    const c = counted(async () => `conn-${c.opened.length}`);
    await c.connection.get();
    await c.connection.close();
    expect(c.closed).toEqual(['conn-1']);
    await expect(c.connection.get()).resolves.toBe('conn-2');
  });

  it('closes nothing when nothing was opened, or when the open failed', async () => {
    const never = counted(async () => 'conn');
    await never.connection.close();
    expect(never.closed).toEqual([]);
    const failed = counted(async () => Promise.reject(new Error('down')));
    await failed.connection.get().catch(() => undefined);
    await failed.connection.close();
    expect(failed.closed).toEqual([]);
  });
});
