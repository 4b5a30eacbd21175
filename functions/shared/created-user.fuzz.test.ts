// parseCreatedUser is the schema, after a named refusal of a missing or non-UUID id; these properties
// hold it equal to the schema on arbitrary records with UUID-shaped ids: the same users accepted with
// the same values, the same ones refused for the same reason and field.
import fc from 'fast-check';
import { PoisonRecordError } from './errors';
import { CREATED_USER_FIELDS, CreatedUserSchema, parseCreatedUser } from './created-user';

type Outcome = { ok: true; user: unknown } | { ok: false; error: string };

function outcomeOf(parse: () => unknown): Outcome {
  try {
    return { ok: true, user: parse() };
  } catch (error) {
    if (!(error instanceof PoisonRecordError)) throw error;
    return { ok: false, error: error.message };
  }
}

/** The schema alone. */
function bySchema(value: Record<string, unknown>): unknown {
  const result = CreatedUserSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new PoisonRecordError('schema-invalid', `${issue.path.join('.')}: ${issue.code}`);
}

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: length, maxLength: length });
// Any 8-4-4-4-12 hex id: RFC versions and variants, and the ones z.uuid() refuses.
const anyUuid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join('-'));
const fieldValue = fc.oneof(
  { weight: 6, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() }, // NaN and ±Infinity among them
  { weight: 1, arbitrary: fc.constant(JSON.parse('1e999') as number) },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const record = fc
  .tuple(anyUuid, fc.tuple(...CREATED_USER_FIELDS.slice(1).map(() => fieldValue)), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue(), { maxKeys: 2 }))
  .map(([id, values, extra]) => {
    const value: Record<string, unknown> = { ...extra, id };
    CREATED_USER_FIELDS.slice(1).forEach((field, i) => {
      if (values[i] !== undefined) value[field] = values[i];
    });
    return value;
  });
// Mostly valid records, so that the accepting path is exercised as often as the refusing one; post
// codes include NaN and ±Infinity, which neither path may accept.
const mostlyValidWith = (postCode: fc.Arbitrary<unknown>) =>
  fc.tuple(fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] }), fc.array(fc.string(), { minLength: 11, maxLength: 11 }), postCode).map(([id, texts, code]) => {
    const value: Record<string, unknown> = { id };
    CREATED_USER_FIELDS.slice(1).forEach((field, i) => (value[field] = texts[i]));
    value.post_code = code;
    return value;
  });
const mostlyValid = mostlyValidWith(fc.oneof(fc.string(), fc.integer(), fc.double()));
const valid = mostlyValidWith(fc.oneof(fc.string(), fc.integer()));
/** A valid record with exactly one field changed to anything. */
const oneFieldOff = fc.tuple(valid, fc.constantFrom(...CREATED_USER_FIELDS.slice(1)), fieldValue).map(([value, field, changed]) => {
  const copy: Record<string, unknown> = { ...value };
  if (changed === undefined) delete copy[field];
  else copy[field] = changed;
  return copy;
});

describe('parseCreatedUser on arbitrary records', () => {
  it('accepts and refuses exactly what the schema does, with the same values and reasons', () => {
    fc.assert(
      fc.property(fc.oneof(record, mostlyValid, oneFieldOff), (value) => {
        expect(outcomeOf(() => parseCreatedUser(value))).toEqual(outcomeOf(() => bySchema(value)));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the fields in column order, and nothing else', () => {
    fc.assert(
      fc.property(valid, fc.dictionary(fc.string({ maxLength: 6 }), fc.string(), { maxKeys: 2 }), (value, extra) => {
        expect(Object.keys(parseCreatedUser({ ...extra, ...value }))).toEqual([...CREATED_USER_FIELDS]);
      }),
    );
  });
});
