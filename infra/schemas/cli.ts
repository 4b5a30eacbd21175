// `npm run schema -- register|status`: the record's schema in a Confluent-compatible registry, as
// tooling registers it (producers never do). The native stack runs `register` on every start; an AWS
// stage's registry gets it from a machine that reaches the registry, before the deploy that needs it.
import { DEFAULT_SCHEMA_REGISTRY_URL, SchemaRegistryClient } from '../../functions/shared/schema-registry';
import { readCommandLine, usageFailure } from '../command-line';
import { describeRegistry, registryStatus } from './registry-status';
import { registerContractSchemas } from './register';

const USAGE = `npm run schema -- <command> [--url URL]: the users_created record's schema in a schema registry

  register   set users_created-value's compatibility rule and register every version of
             contract/created-user.avsc.json's history, oldest first (idempotent)
  status     the subject's versions and rule

--url defaults to SCHEMA_REGISTRY_URL, else ${DEFAULT_SCHEMA_REGISTRY_URL}. A registry with HTTP
Basic auth takes SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD from the environment.`;

async function main(): Promise<void> {
  const { positionals, values } = readCommandLine({ usage: USAGE, maxPositionals: 1, options: { url: { type: 'string' } } });
  const url = values.url ?? process.env.SCHEMA_REGISTRY_URL ?? DEFAULT_SCHEMA_REGISTRY_URL;
  const { SCHEMA_REGISTRY_USERNAME: username, SCHEMA_REGISTRY_PASSWORD: password } = process.env;
  const registry = new SchemaRegistryClient(url, username && password ? { credentials: { username, password } } : {});
  switch (positionals[0]) {
    case 'register': {
      const { subject, compatibility, ids } = await registerContractSchemas(registry);
      console.log(`${subject} at ${url}: ${compatibility}, ids ${ids.join(', ')} (the last is what produceUsers publishes with)`);
      return;
    }
    case 'status':
      console.log(`${url} ${describeRegistry(await registryStatus(registry))}`);
      return;
    default:
      usageFailure(USAGE, `unknown command "${positionals[0] ?? ''}": register or status`);
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
