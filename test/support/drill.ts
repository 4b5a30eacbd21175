// A fault drill signals a process of the stack (SIGSTOP, restart), so it needs a process this
// checkout's launcher started. Outside CI, a stack run by someone else (another checkout, docker
// compose) makes the drill skip, visibly; under CI=true a drill that cannot run fails, because a
// skipped drill must never read as a green one.
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
