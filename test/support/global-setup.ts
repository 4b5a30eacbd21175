// Before the integration tests: use the stack that answers on the configured addresses, or start the
// native one (and remember to stop it after). Topics and schema are applied either way.
import { LocalStack } from '../../infra/local/stack/local-stack';

export default async function globalSetup(): Promise<void> {
  const stack = new LocalStack(undefined, (line) => process.stderr.write(`[stack] ${line}\n`));
  if (await stack.isReady()) {
    await stack.provision();
    // Each project with this setup runs it; only the first one's verdict counts.
    process.env.TEST_STACK_STARTED ??= 'false';
    return;
  }
  const { states } = await stack.up();
  // The teardown stops only a stack that was wholly down: a half-up one (a broker that died) is the
  // developer's, and stays up, whole again.
  process.env.TEST_STACK_STARTED = String(Object.values(states).every((state) => state === 'started'));
}
