// The record's subject as a registry holds it, for `npm run status`, the console and `npm run schema`.
import { CREATED_USER_SUBJECT } from '../../contract/created-user-schema';
import type { SchemaRegistryClient } from '../../functions/shared/schema-registry';

/** The record's subject in the registry: its versions and rule, or why they could not be read. */
export type RegistryStatus = { subject: string; versions: number[]; compatibility: string | undefined } | { subject: string; error: string };

export async function registryStatus(registry: SchemaRegistryClient, subject = CREATED_USER_SUBJECT): Promise<RegistryStatus> {
  try {
    return { subject, versions: await registry.versions(subject), compatibility: await registry.compatibility(subject) };
  } catch (error) {
    return { subject, error: (error as Error).message };
  }
}

export function describeRegistry(status: RegistryStatus): string {
  if ('error' in status) return `${status.subject}: ${status.error}`;
  if (status.versions.length === 0) return `${status.subject}: not registered (npm run stack:up registers it)`;
  return `${status.subject}: version(s) ${status.versions.join(', ')}, ${status.compatibility ?? 'the registry default'} compatibility`;
}
