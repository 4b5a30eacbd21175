// The JVM side of a profiled run (BENCH_PROFILE_DIR): a Java Flight Recorder recording of Cassandra
// while a section runs, summarised by thread pool. Cassandra's pools are its stages (request parsing
// on Native-Transport-Requests, the write on MutationStage, flushes, compaction, the commit log), so
// the summary says which stage a row's CPU goes to, and two recordings of the same rows (the raw
// driver's and the drain's) say where the drain spends more.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Starts a recording of `pid` into `file`; the returned function stops it and resolves once written. */
export async function recordJvm(pid: number, file: string, name = 'bench'): Promise<() => Promise<void>> {
  await run('jcmd', [String(pid), 'JFR.start', `name=${name}`, 'settings=profile', `filename=${file}`]);
  return async () => {
    await run('jcmd', [String(pid), 'JFR.stop', `name=${name}`]);
  };
}

/** A sampled thread's pool: its name without the trailing worker number ("MutationStage-3" → "MutationStage"). */
export function poolOf(thread: string): string {
  return thread.replace(/([-:#\s]*\d+)+$/, '') || thread;
}

export interface JvmSamples {
  /** Samples of threads running Java code, by pool, most first. */
  pools: Array<[string, number]>;
  /** The same samples by the package of the method on top of the stack. */
  packages: Array<[string, number]>;
  total: number;
}

/**
 * Counts `jdk.ExecutionSample` events, as `jfr print` writes them, by thread pool and top package.
 * JFR samples running Java threads at a fixed period, so counts are proportional to CPU time spent in
 * Java code (not in the garbage collector or native code, which it counts apart).
 */
export function summariseExecutionSamples(printed: string): JvmSamples {
  const pools = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  for (const event of printed.split(/^jdk\.ExecutionSample \{$/m).slice(1)) {
    const thread = /sampledThread = "([^"]*)"/.exec(event)?.[1] ?? '(unknown)';
    const top = /stackTrace = \[\s*\n\s*([\w.$]+)\./.exec(event)?.[1] ?? '(unknown)';
    const pool = poolOf(thread);
    // The package: the names before the class (the first capitalised one), four at most.
    const names = top.split('.');
    const classAt = names.findIndex((name) => /^[A-Z]/.test(name));
    const pkg = names.slice(0, Math.min(4, classAt < 0 ? names.length : classAt)).join('.');
    pools.set(pool, (pools.get(pool) ?? 0) + 1);
    packages.set(pkg, (packages.get(pkg) ?? 0) + 1);
    total += 1;
  }
  const sorted = (counts: Map<string, number>) => [...counts].sort((a, b) => b[1] - a[1]);
  return { pools: sorted(pools), packages: sorted(packages), total };
}

/** Reads a recording's execution samples with the JDK's `jfr` tool. */
export async function jvmSamples(file: string): Promise<JvmSamples> {
  const { stdout } = await run('jfr', ['print', '--events', 'jdk.ExecutionSample', '--stack-depth', '1', file], { maxBuffer: 1 << 30 });
  return summariseExecutionSamples(stdout);
}
