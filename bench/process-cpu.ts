// CPU time of processes by pid, from /proc (Linux): all threads of each process, user and system.
// The benchmarks use it to say where a run's CPU went (Node, Kafka, Cassandra) and how many of the
// machine's cores were busy, which is what bounds a pipeline that shares one machine with its services.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

let ticksPerSecond: number | undefined;

/** Seconds of CPU the process has used so far, or undefined when it is gone (or not on Linux). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; the fields after its last ')' start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
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
