// Splits `sls offline` output into one log file per function (so `tail -f` works), echoing every
// line to the terminal. A line belongs to a function when it is the function's Powertools JSON
// ("service"), serverless-offline's "(λ: name)" line, or an emulator line "[kafka-esm] name:".
import fs from 'node:fs';
import path from 'node:path';

export class FunctionLogRouter {
  private readonly streams = new Map<string, fs.WriteStream>();
  private pending = '';

  constructor(
    private readonly dir: string,
    private readonly functions: string[],
    private readonly echo: (chunk: string) => void = (chunk) => process.stdout.write(chunk),
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  write(chunk: Buffer | string): void {
    this.echo(chunk.toString());
    const lines = (this.pending + chunk.toString()).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.route(line);
  }

  fileOf(name: string): string {
    return path.join(this.dir, `${name}.log`);
  }

  close(): void {
    if (this.pending) this.route(this.pending);
    for (const stream of this.streams.values()) stream.end();
  }

  /** The function a line belongs to, or 'offline' for serverless-offline's own lines. */
  owner(line: string): string {
    const service = /"service":"([^"]+)"/.exec(line)?.[1];
    if (service && this.functions.includes(service)) return service;
    const tagged = /\(λ: ([^)]+)\)|\[kafka-esm\] ([^:\s]+):/.exec(line);
    const name = tagged?.[1] ?? tagged?.[2];
    return name && this.functions.includes(name) ? name : 'offline';
  }

  private route(line: string): void {
    const owner = this.owner(line);
    let stream = this.streams.get(owner);
    if (!stream) {
      stream = fs.createWriteStream(this.fileOf(owner), { flags: 'a' });
      this.streams.set(owner, stream);
    }
    stream.write(`${line}\n`);
  }
}
