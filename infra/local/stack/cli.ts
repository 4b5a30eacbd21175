// `npm run stack:up` / `npm run stack:down`: the native stack from the command line.
import { LocalStack } from './local-stack';
import { StackError } from './stack-error';
import { readCommandLine, usageFailure } from '../../command-line';

const USAGE = `npm run stack:up | npm run stack:down: the native Kafka + Cassandra stack under .local/

  up     start Kafka and Cassandra from Maven Central jars on your JDK (STACK_NODES=3: a three-node cluster)
  down   stop what the launcher started

KAFKA_BROKERS, CASSANDRA_CONTACT_POINTS and CASSANDRA_LOCAL_DC say where they listen.`;

async function main(command: string | undefined): Promise<void> {
  const stack = new LocalStack();
  if (command === 'up') await stack.up();
  else if (command === 'down') await stack.down();
  else usageFailure(USAGE, `unknown command "${command ?? ''}": up or down`);
}

main(readCommandLine({ usage: USAGE, maxPositionals: 1 }).positionals[0]).catch((error: unknown) => {
  console.error(error instanceof StackError ? `[stack] ${error.message}` : error);
  process.exitCode = 1;
});
