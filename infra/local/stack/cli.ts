// `npm run stack:up` / `npm run stack:down`: the native stack from the command line.
import { LocalStack } from './local-stack';
import { StackError } from './stack-error';

async function main(command: string | undefined): Promise<void> {
  const stack = new LocalStack();
  switch (command) {
    case 'up':
      await stack.up();
      return;
    case 'down':
      await stack.down();
      return;
    default:
      throw new StackError(`Unknown command "${command ?? ''}": use "up" or "down".`);
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof StackError ? `[stack] ${error.message}` : error);
  process.exitCode = 1;
});
