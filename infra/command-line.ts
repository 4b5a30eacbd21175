// How every command a person types reads its arguments (npm start, status, stack:up/down, users-api,
// dlq, bench): `--help` (or `-h`) prints the usage and exits 0; an unknown flag, a flag without its
// value, or a word the command does not take prints what was wrong and the usage, and exits 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandLine<O extends Options> {
  values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];
  positionals: string[];
}

/** A mistake in how the command was called: its message, then the usage, and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CommandSpec<O extends Options> {
  /** What `--help` prints: what the command does, how to call it, its flags. */
  usage: string;
  options?: O;
  /** The positional words it takes at most (default none). */
  maxPositionals?: number;
}

export interface Exit {
  (code: number): never;
}

/** The parsed arguments, or the usage and an exit (0 for --help, 2 for a mistake). */
export function readCommandLine<O extends Options>(
  spec: CommandSpec<O>,
  argv: string[] = process.argv.slice(2),
  io: { out: (text: string) => void; err: (text: string) => void; exit: Exit } = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    exit: (code) => process.exit(code),
  },
): CommandLine<O> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`${spec.usage.trim()}\n`);
    return io.exit(0);
  }
  try {
    const parsed = parseArgs({ args: argv, options: spec.options ?? ({} as O), allowPositionals: true, strict: true });
    const max = spec.maxPositionals ?? 0;
    if (parsed.positionals.length > max) throw new UsageError(`unexpected argument "${parsed.positionals[max]}"`);
    return parsed as CommandLine<O>;
  } catch (error) {
    const message = error instanceof UsageError ? error.message : (error as Error).message.split('\n')[0];
    return usageFailure(spec.usage, message, io);
  }
}

/** Says what was wrong with the call, then the usage, and exits 2. */
export function usageFailure(
  usage: string,
  message: string,
  io: { err: (text: string) => void; exit: Exit } = { err: (t) => process.stderr.write(t), exit: (c) => process.exit(c) },
): never {
  io.err(`${message}\n\n${usage.trim()}\n`);
  return io.exit(2);
}
