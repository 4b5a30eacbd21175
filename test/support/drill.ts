// A fault drill signals a process of the stack (SIGSTOP, restart), so it needs a process this
// checkout's launcher started. Outside CI, a stack run by someone else (another checkout, docker
// compose) makes the drill skip, visibly; under CI=true a drill that cannot run fails, because a
// skipped drill must never read as a green one.
import fs from 'node:fs';
import type { ManagedProcess } from '../../infra/local/stack/managed-process';

export function drill(process: ManagedProcess, service: string): jest.Describe {
  if (process.isRunning()) return describe;
  if (!globalThis.process.env.CI) return describe.skip;
  return ((name: string) =>
    describe(name, () => {
      it('can run', () => {
        throw new Error(
          `The drill "${name}" needs the ${service} that this checkout's launcher starts, but the ${service} answering was started by someone else. Stop that stack (npm run stack:down in its checkout, or docker compose down) and run again.`,
        );
      });
    })) as unknown as jest.Describe;
}

/** A signal to every node of a service: "Cassandra freezes" means all of it, on one node or on three. */
export function signalEach(services: ReadonlyArray<{ process: ManagedProcess }>, signal: NodeJS.Signals): void {
  for (const service of services) service.process.signal(signal);
}

/**
 * SIGSTOP to every node, resolved once the kernel shows each one stopped: the signal is only queued
 * when kill returns, and on a busy machine a JVM answered a warm client's writes for a few
 * milliseconds after it. Without /proc (macOS), the signal alone.
 */
export async function freezeEach(services: ReadonlyArray<{ process: ManagedProcess }>, timeoutMs = 5000): Promise<void> {
  signalEach(services, 'SIGSTOP');
  const deadline = Date.now() + timeoutMs;
  for (const { process } of services) {
    const pid = process.pid();
    if (pid === undefined || !fs.existsSync(`/proc/${pid}/stat`)) continue;
    // The state is the field after the command name, which may itself hold spaces and parentheses.
    const state = () => {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    };
    while (!['T', 't'].includes(state())) {
      if (Date.now() > deadline) throw new Error(`pid ${pid} was sent SIGSTOP but had not stopped after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
