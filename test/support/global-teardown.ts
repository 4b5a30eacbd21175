// After the integration tests: stop the native stack only if the global setup started it.
import { LocalStack } from '../../infra/local/stack/local-stack';

export default async function globalTeardown(): Promise<void> {
  if (process.env.TEST_STACK_STARTED !== 'true') return;
  await new LocalStack(undefined, (line) => process.stderr.write(`[stack] ${line}\n`)).down();
}
