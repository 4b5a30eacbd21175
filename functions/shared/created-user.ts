// The record on `users_created`: the seed's format_data shape, shared by produceUsers (writes it) and
// writeUsers (reads it). Bump the version when the shape changes; consumers read it from a header.
import { z } from 'zod';
import { PoisonRecordError } from './errors';

export const CREATED_USER_SCHEMA_VERSION = '1';
export const CREATED_USER_CONTENT_TYPE = 'application/json';

/** Column order of spark_streams.created_users, and field order of the published JSON. */
export const CREATED_USER_FIELDS = [
  'id',
  'first_name',
  'last_name',
  'gender',
  'address',
  'post_code',
  'email',
  'username',
  'dob',
  'registered_date',
  'phone',
  'picture',
] as const;

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
});

export type CreatedUser = z.output<typeof CreatedUserSchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The schema's own UUID rule (z.uuid(): RFC 9562 versions and variant), for the fast path below. */
const SCHEMA_UUID = z.regexes.uuid();

/**
 * The common case without the schema: every field already the type it must be. The writer checks
 * 10,000 records a batch, where zod's general path is a large share of the decoding; anything this
 * does not accept goes through the schema, which says what is wrong. A property test holds the two
 * equal on arbitrary records.
 */
function plainCreatedUser(value: Record<string, unknown>): CreatedUser | undefined {
  const user: Record<string, string> = {};
  for (const field of CREATED_USER_FIELDS) {
    const text = value[field];
    if (typeof text === 'string') user[field] = text;
    // Older producers sent the API's numeric post codes as numbers (JSON's 1e999 parses as Infinity).
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent - a mutant that only declines numeric post codes sends them to the schema, which accepts the same value
    else if (field === 'post_code' && typeof text === 'number' && Number.isFinite(text)) user[field] = String(text);
    else return undefined;
  }
  return user as CreatedUser;
}

/** Validates a decoded JSON value; throws PoisonRecordError naming the field, never its value. */
export function parseCreatedUser(value: unknown): CreatedUser {
  const id = (value as { id?: unknown } | null)?.id;
  // One regex for the common id: the schema's UUID rule admits only UUIDs, so the looser check that
  // names a non-UUID runs only when the schema's rule refused the id.
  // Stryker disable next-line ConditionalExpression: equivalent - false sends every record through the schema: the same user, more slowly
  const schemaUuid = typeof id === 'string' && SCHEMA_UUID.test(id);
  if (!schemaUuid && (typeof id !== 'string' || !UUID.test(id))) {
    throw new PoisonRecordError('invalid-id', id === undefined || id === null ? 'id is missing' : 'id is not a UUID');
  }
  const plain = schemaUuid ? plainCreatedUser(value as Record<string, unknown>) : undefined;
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
