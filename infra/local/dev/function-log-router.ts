// Splits `sls offline` output into one log file per function (so `tail -f` works), echoing every
// line to the terminal. A line belongs to a function when it is the function's Powertools JSON
// ("service"), serverless-offline's "(λ: name)" line, an emulator line "[kafka-esm] name:", or
// serverless-offline's report of an exception the function's handler threw.
//
// That report repeats an error the function has already logged (a stack trace, then "Failed to
// execute scheduled function … Error: Error: …"): when the function's last ERROR line carries the
// same message and a known error code, the repeat is dropped, so each failure is said once. An
// unexpected error (code UNEXPECTED, or never logged) keeps serverless-offline's stack trace.
import fs from 'node:fs';
import path from 'node:path';

const UNHANDLED = /^× Unhandled exception in handler '([^']+)'\.$/;
const SCHEDULE_FAILED = /^× Failed to execute scheduled function: \[([^\]]+)\] (?:Error: )*(.*)$/;
const REPORT_CONTINUES = /^(× |\s+at )/;

export class FunctionLogRouter {
  private readonly streams = new Map<string, fs.WriteStream>();
  private pending = '';
  /** Per function, the `error` field of its last ERROR line, when its code names a known error. */
  private readonly loggedErrors = new Map<string, string>();
  /** serverless-offline's exception report being read: its function and its lines so far. */
  private report: { owner: string; lines: string[] } | undefined;

  constructor(
    private readonly dir: string,
    private readonly functions: string[],
    private readonly echo: (chunk: string) => void = (chunk) => process.stdout.write(chunk),
    /** Sees every line, those dropped as repeats included (the console counts from them). */
    private readonly observe: (line: string) => void = () => undefined,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  write(chunk: Buffer | string): void {
    const lines = (this.pending + chunk.toString()).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.route(line);
  }

  fileOf(name: string): string {
    return path.join(this.dir, `${name}.log`);
  }

  close(): void {
    if (this.pending) this.route(this.pending);
    if (this.report) this.endReport();
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
    this.observe(line);
    if (this.report) {
      // A report continues until a line that is not part of it; the schedule's summary line is its own.
      if (REPORT_CONTINUES.test(line) && !SCHEDULE_FAILED.test(line)) {
        this.report.lines.push(line);
        return;
      }
      this.endReport();
    }
    const opened = UNHANDLED.exec(line)?.[1];
    if (opened && this.functions.includes(opened)) {
      this.report = { owner: opened, lines: [line] };
      return;
    }
    const failed = SCHEDULE_FAILED.exec(line);
    if (failed && this.functions.includes(failed[1])) {
      if (!this.isRepeat(failed[1], failed[2])) this.emit(failed[1], line);
      return;
    }
    this.emit(this.owner(line), line);
  }

  /** serverless-offline's report, dropped when its message line repeats the function's own log. */
  private endReport(): void {
    const { owner, lines } = this.report!;
    this.report = undefined;
    const message = lines[1]?.replace(/^× /, '') ?? '';
    if (this.isRepeat(owner, message)) return;
    for (const line of lines) this.emit(owner, line);
  }

  private emit(owner: string, line: string): void {
    if (owner !== 'offline') this.remember(owner, line);
    this.echo(`${line}\n`);
    let stream = this.streams.get(owner);
    if (!stream) {
      stream = fs.createWriteStream(this.fileOf(owner), { flags: 'a' });
      this.streams.set(owner, stream);
    }
    stream.write(`${line}\n`);
  }

  private isRepeat(owner: string, message: string): boolean {
    const logged = this.loggedErrors.get(owner);
    return logged !== undefined && message !== '' && logged.includes(message);
  }

  private remember(owner: string, line: string): void {
    if (!line.startsWith('{') || !line.includes('"level":"ERROR"')) return;
    try {
      const { code, error } = JSON.parse(line) as { code?: string; error?: string };
      if (typeof error === 'string' && code !== undefined && code !== 'UNEXPECTED') this.loggedErrors.set(owner, error);
      else this.loggedErrors.delete(owner);
    } catch {
      this.loggedErrors.delete(owner);
    }
  }
}
