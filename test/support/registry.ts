// The local stack's registry, and an encoder of the contract's record as produceUsers writes it: what
// tests and drills publish, so that records reach writeUsers through the mapping's registry as
// produceUsers' would.
import { openCreatedUserEncoder, type CreatedUserEncoder } from '../../functions/produce-users/created-user-encoder';
import type { CreatedUser } from '../../functions/shared/created-user';
import { SchemaRegistryClient } from '../../functions/shared/schema-registry';
import { stackSettings } from '../../infra/local/stack/stack-settings';
import { avroType } from '../../contract/avro';
import { unframe } from '../../contract/wire-format';

export function localRegistry(): SchemaRegistryClient {
  return new SchemaRegistryClient(stackSettings().schemaRegistry.url);
}

let encoder: Promise<CreatedUserEncoder> | undefined;

/** The contract's encoder against the local registry, its schema id looked up once per test file. */
export function localEncoder(): Promise<CreatedUserEncoder> {
  encoder ??= openCreatedUserEncoder(localRegistry());
  return encoder;
}

/** One user in the registry's wire format. */
export async function encodeUser(user: CreatedUser): Promise<Buffer> {
  return (await localEncoder()).encodeAll([user])[0];
}

/** A published value read back as a consumer with the registry would: its schema id and the user. */
export async function decodeUser(value: Buffer): Promise<{ schemaId: number; user: Record<string, unknown> }> {
  const framed = unframe(value);
  if (!framed.ok) throw new Error(`not in the registry's wire format: ${framed.problem}`);
  const { schema } = await localRegistry().schemaById(framed.schemaId);
  return { schemaId: framed.schemaId, user: avroType(schema).fromBuffer(framed.payload) as Record<string, unknown> };
}
