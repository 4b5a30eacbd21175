import { PoisonRecordError } from './errors';
import { CreatedUserSchema, OPTIONAL_TEXT_FIELDS, parseCreatedUser, PLAIN_TEXT_FIELDS } from './created-user';

const valid = {
  id: '2a9cb0f5-cbe0-4aab-9561-c2d3c934aa88',
  first_name: 'Bently',
  last_name: 'Martin',
  gender: 'male',
  address: '7954 Pine Rd, Aylmer, Yukon, Canada',
  post_code: 'Z4B 4T0',
  email: 'bently.martin@example.com',
  username: 'greenbutterfly827',
  dob: '1952-10-10T07:36:45.668Z',
  registered_date: '2019-01-29T23:55:04.691Z',
  phone: 'U62 H66-5503',
  picture: 'https://randomuser.me/api/portraits/med/men/18.jpg',
};

function poisonOf(value: unknown): PoisonRecordError {
  try {
    parseCreatedUser(value);
  } catch (error) {
    if (error instanceof PoisonRecordError) return error;
    throw error;
  }
  throw new Error('expected a PoisonRecordError');
}

describe('parseCreatedUser, the shared record schema (v1)', () => {
  it('checks by hand, for the common record, exactly the schema’s fields after the id, in its order', () => {
    // parseCreatedUser's path without zod: a field the schema gains must be named there too.
    expect(['id', ...PLAIN_TEXT_FIELDS, ...OPTIONAL_TEXT_FIELDS]).toEqual(Object.keys(CreatedUserSchema.shape));
    const shape: Record<string, { safeParse(value: unknown): { success: boolean } }> = CreatedUserSchema.shape;
    expect(OPTIONAL_TEXT_FIELDS.every((name) => shape[name].safeParse(undefined).success)).toBe(true);
  });

  it('accepts a record in the seed shape', () => {
    expect(parseCreatedUser(valid)).toEqual(valid);
  });

  it('stores a numeric post code from older producers as text', () => {
    expect(parseCreatedUser({ ...valid, post_code: 90592 }).post_code).toBe('90592');
  });

  it('ignores fields added by newer producers', () => {
    expect(parseCreatedUser({ ...valid, nat: 'CA' })).toEqual(valid);
  });

  it.each([
    ['a missing id', { ...valid, id: undefined }, 'invalid-id'],
    ['a null id', { ...valid, id: null }, 'invalid-id'],
    ['a non-UUID id', { ...valid, id: 'NaNNA197undefined' }, 'invalid-id'],
    ['a numeric email', { ...valid, email: 42 }, 'schema-invalid'],
    ['a missing username', { ...valid, username: undefined }, 'schema-invalid'],
    ['an array', [valid], 'invalid-id'],
  ])('rejects %s as poison', (_label, value, reason) => {
    expect(poisonOf(value).reason).toBe(reason);
  });

  it('names the bad field, never its value', () => {
    const error = poisonOf({ ...valid, phone: 5551234 });
    expect(error.detail).toBe('phone: invalid_type');
    expect(error.message).not.toContain('5551234');
  });

  it('tells a missing id from one that is not a UUID', () => {
    expect(poisonOf({ ...valid, id: undefined }).detail).toBe('id is missing');
    expect(poisonOf({ ...valid, id: null }).detail).toBe('id is missing');
    expect(poisonOf(null).detail).toBe('id is missing');
    expect(poisonOf({ ...valid, id: '' }).detail).toBe('id is not a UUID');
    expect(poisonOf({ ...valid, id: 42 }).detail).toBe('id is not a UUID');
  });

  it('takes a UUID in either case, and nothing around it', () => {
    expect(parseCreatedUser({ ...valid, id: valid.id.toUpperCase() }).id).toBe(valid.id.toUpperCase());
    expect(poisonOf({ ...valid, id: `x${valid.id}` }).reason).toBe('invalid-id');
    expect(poisonOf({ ...valid, id: `${valid.id}0` }).reason).toBe('invalid-id');
    expect(poisonOf({ ...valid, id: valid.id.replace(/-/g, '') }).reason).toBe('invalid-id');
  });

  it('refuses what the schema refuses, however close to valid', () => {
    // A UUID of no RFC version (z.uuid() refuses it), and a number where text belongs.
    expect(poisonOf({ ...valid, id: '2a9cb0f5-cbe0-0aab-9561-c2d3c934aa88' }).message).toBe('schema-invalid: id: invalid_format');
    expect(poisonOf({ ...valid, first_name: 5 }).message).toBe('schema-invalid: first_name: invalid_type');
    expect(poisonOf({ ...valid, post_code: Number.POSITIVE_INFINITY }).message).toBe('schema-invalid: post_code: invalid_union');
  });

  it('names a nested bad field by its path', () => {
    expect(poisonOf({ ...valid, email: 42 }).message).toBe('schema-invalid: email: invalid_type');
  });
});
