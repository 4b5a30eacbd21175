// The record on `users_created`: the seed's format_data shape, shared by produceUsers (writes it) and
// writeUsers (reads it). Its schema is contract/created-user.avsc.json, registered in the schema
// registry; the registry (or Lambda's mapping, which validates against it) did the structural check,
// so this keeps what the table needs: a UUID id and text in each column.
import { z } from 'zod';
import { CREATED_USER_FIELDS } from '../../contract/created-user-schema';
import { PoisonRecordError } from './errors';

export { CREATED_USER_FIELDS };

/**
 * An optional field: null, or text. AWS's page does not show how the mapping renders an Avro union
 * in JSON; Avro's own JSON encoding wraps it ({"string": "FR"}), so both forms are read.
 */
const optionalText = z.union([z.string(), z.null(), z.object({ string: z.string() }).transform((wrapped) => wrapped.string)]).optional();

export const CreatedUserSchema = z.object({
  id: z.uuid(),
  first_name: z.string(),
  last_name: z.string(),
  gender: z.string(),
  address: z.string(),
  // Producers before schema v1 sent the API's numeric post codes as numbers; the column is text.
  post_code: z.union([z.string(), z.number().transform(String)]),
  email: z.string(),
  username: z.string(),
  dob: z.string(),
  registered_date: z.string(),
  phone: z.string(),
  picture: z.string(),
  // Version 2. Absent from a version 1 record: the column is then left as it is (writeUsers binds it unset).
  nationality: optionalText,
});

export type CreatedUser = z.output<typeof CreatedUserSchema>;

/** Any 8-4-4-4-12 hex id: what tells a record with no usable id from one with a bad field. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What `z.uuid()` accepts. */
const SCHEMA_UUID = z.regexes.uuid();
/**
 * The common record's fields after its id, in the schema's order (zod's output keeps it): text each,
 * then the optional ones. created-user.test.ts holds them to the schema's shape.
 */
export const OPTIONAL_TEXT_FIELDS: readonly string[] = ['nationality'];
export const PLAIN_TEXT_FIELDS = CREATED_USER_FIELDS.filter((name) => name !== 'id' && !OPTIONAL_TEXT_FIELDS.includes(name));

/**
 * The schema's answer for the common record (every field text, the optional one absent, null or
 * text), without zod: a third of writeUsers' CPU per record went to it. Anything else is left to the
 * schema (undefined), which also names what is wrong. created-user.fuzz.test.ts holds the two equal.
 */
function plainUser(value: Record<string, unknown>): CreatedUser | undefined {
  if (!SCHEMA_UUID.test(value.id as string)) return undefined;
  const user: Record<string, unknown> = { id: value.id };
  for (const name of PLAIN_TEXT_FIELDS) {
    const field = value[name];
    if (typeof field !== 'string') return undefined;
    user[name] = field;
  }
  for (const name of OPTIONAL_TEXT_FIELDS) {
    if (!(name in value)) continue;
    const field = value[name];
    if (field !== undefined && field !== null && typeof field !== 'string') return undefined;
    user[name] = field;
  }
  return user as CreatedUser;
}

/** Validates a decoded JSON value; throws PoisonRecordError naming the field, never its value. */
export function parseCreatedUser(value: unknown): CreatedUser {
  const id = (value as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || !UUID.test(id)) {
    throw new PoisonRecordError('invalid-id', id === undefined || id === null ? 'id is missing' : 'id is not a UUID');
  }
  const plain = Array.isArray(value) ? undefined : plainUser(value as Record<string, unknown>);
  if (plain) return plain;
  const result = CreatedUserSchema.safeParse(value);
  if (!result.success) {
    // The value is an object here (it has a string id), and the schema is flat: every issue is at
    // one field, its path that field's name.
    const issue = result.error.issues[0];
    throw new PoisonRecordError('schema-invalid', `${String(issue.path[0])}: ${issue.code}`);
  }
  return result.data;
}

/**
 * The row's values in column order. A field the record's schema version lacks is `undefined`: the
 * writer binds it unset, so the column keeps what it has and no tombstone is written.
 */
export function columnValues(user: CreatedUser): unknown[] {
  return CREATED_USER_FIELDS.map((field) => (user as Record<string, unknown>)[field]);
}
