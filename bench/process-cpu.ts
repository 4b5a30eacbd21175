// CPU time of processes by pid, from /proc (Linux): all threads of each process, user and system.
// The benchmarks use it to say where a run's CPU went (Node, Kafka, Cassandra) and how many of the
// machine's cores were busy, which is what bounds a pipeline that shares one machine with its services.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

let ticksPerSecond: number | undefined;

/** Seconds of CPU the process has used so far, or undefined when it is gone (or not on Linux). */
export function cpuSeconds(pid: number): number | undefined {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/** user + system time in a /proc stat file (a process's or one thread's), in seconds. */
function statCpuSeconds(file: string): number | undefined {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = fs.readFileSync(file, 'utf8');
    // The command name may hold spaces and parentheses; the fields after its last ')' start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** Seconds of CPU of each thread of a process, by thread id; empty when the process is gone. */
export function threadCpuSeconds(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    const seconds = statCpuSeconds(`/proc/${pid}/task/${tid}/stat`);
    if (seconds !== undefined) threads.set(Number(tid), seconds);
  }
  return threads;
}

/** CPU seconds of a Node process, split by the threads that spent it. */
export interface ThreadSplit {
  /** The main thread (its id is the process's). */
  main: number;
  /** Threads started since the measurement began: under sls offline, the functions' worker threads. */
  functions: number;
  /** The other threads it already had: V8's compiler and garbage-collector helpers, libuv's pool. */
  helpers: number;
}

/**
 * Starts a measurement of one Node process; the returned function splits its CPU since then by thread.
 * Node names none of its threads, so a worker thread is told by when it started: sls offline starts a
 * function's worker thread at its first invocation, after the measurement began.
 */
export function measureThreads(pid: number): () => ThreadSplit {
  const before = threadCpuSeconds(pid);
  return () => {
    const split: ThreadSplit = { main: 0, functions: 0, helpers: 0 };
    for (const [tid, seconds] of threadCpuSeconds(pid)) {
      const spent = seconds - (before.get(tid) ?? 0);
      if (tid === pid) split.main += spent;
      else if (before.has(tid)) split.helpers += spent;
      else split.functions += spent;
    }
    return split;
  };
}

export type CoresBusy = Record<string, number> & { total: number; machineCores: number };

/** Starts a measurement; the returned function gives each process's busy cores since then. */
export function measureCpu(pids: Record<string, number | undefined>): () => CoresBusy {
  const started = process.hrtime.bigint();
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid === undefined ? undefined : cpuSeconds(pid)]));
  return () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const busy: Record<string, number> = {};
    for (const [name, pid] of Object.entries(pids)) {
      const from = before[name];
      const to = pid === undefined ? undefined : cpuSeconds(pid);
      if (from !== undefined && to !== undefined) busy[name] = Math.round(((to - from) / seconds) * 100) / 100;
    }
    const total = Math.round(Object.values(busy).reduce((sum, n) => sum + n, 0) * 100) / 100;
    return { ...busy, total, machineCores: os.cpus().length } as CoresBusy;
  };
}

/**
 * Resolves once the process has used less than `busyBelow` of a core for `quietMs` in a row (or after
 * `timeoutMs`): after a TRUNCATE or a burst of writes Cassandra flushes and compacts for seconds, and
 * a measurement started then pays for the one before it.
 */
export async function settled(pid: number | undefined, { busyBelow = 0.1, quietMs = 2000, timeoutMs = 60_000 } = {}): Promise<void> {
  if (pid === undefined) return;
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  let last = cpuSeconds(pid);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = cpuSeconds(pid);
    if (now === undefined || last === undefined) return;
    if (now - last > busyBelow * 0.25) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    last = now;
  }
}
