// A connection opened on first use and reused by later invocations of the same container. A failed
// open is forgotten, so the next invocation tries again instead of failing forever.
export class LazyConnection<T> {
  private opening: Promise<T> | undefined;

  constructor(
    private readonly open: () => Promise<T>,
    private readonly closeConnection: (connection: T) => Promise<void>,
  ) {}

  get(): Promise<T> {
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  async close(): Promise<void> {
    const pending = this.opening;
    this.opening = undefined;
    const connection = await pending?.catch(() => undefined);
    if (connection !== undefined) await this.closeConnection(connection);
  }
}
