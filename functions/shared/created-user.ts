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

/** Any 8-4-4-4-12 hex id: what tells a record with no usable id from one with a bad field. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates a decoded JSON value; throws PoisonRecordError naming the field, never its value. */
export function parseCreatedUser(value: unknown): CreatedUser {
  const id = (value as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || !UUID.test(id)) {
    throw new PoisonRecordError('invalid-id', id === undefined || id === null ? 'id is missing' : 'id is not a UUID');
  }
  const result = CreatedUserSchema.safeParse(value);
  if (!result.success) {
    // The value is an object here (it has a string id), and the schema is flat: every issue is at
    // one field, its path that field's name.
    const issue = result.error.issues[0];
    throw new PoisonRecordError('schema-invalid', `${String(issue.path[0])}: ${issue.code}`);
  }
  return result.data;
}
