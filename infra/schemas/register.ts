// Registers the record's schema the way tooling does, never a producer: the subject's compatibility
// rule first, then every version of the contract's history, oldest first. Idempotent: a registry that
// has them answers with the ids it gave them.
import { CREATED_USER_COMPATIBILITY, CREATED_USER_SCHEMA_HISTORY, CREATED_USER_SUBJECT, schemaText } from '../../contract/created-user-schema';
import type { SchemaRegistryClient } from '../../functions/shared/schema-registry';

export interface Registration {
  subject: string;
  compatibility: string;
  /** The id of each version, in the history's order; the last is what produceUsers writes with. */
  ids: number[];
}

export async function registerContractSchemas(
  registry: SchemaRegistryClient,
  { subject = CREATED_USER_SUBJECT, history = CREATED_USER_SCHEMA_HISTORY }: { subject?: string; history?: readonly object[] } = {},
): Promise<Registration> {
  await registry.setCompatibility(subject, CREATED_USER_COMPATIBILITY);
  const ids: number[] = [];
  for (const version of history) ids.push(await registry.register(subject, schemaText(version)));
  return { subject, compatibility: CREATED_USER_COMPATIBILITY, ids };
}
