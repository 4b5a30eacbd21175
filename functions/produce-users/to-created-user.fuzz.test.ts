// Property-based tests of the Random User formatter on arbitrary API-shaped input: validation never
// throws, and what it accepts always formats into a row writeUsers accepts in turn.
import fc from 'fast-check';
import { CREATED_USER_FIELDS, parseCreatedUser } from '../shared/created-user';
import { checkRandomUser } from './random-user';
import { toCreatedUser } from './to-created-user';

/** A leaf as the API sends it, or as it might go wrong. */
// Rarely broken, so that about a third of the users are whole and both branches are well exercised.
const leaf = (usual: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 60, arbitrary: usual }, { weight: 1, arbitrary: fc.anything() }, { weight: 1, arbitrary: fc.constant(undefined) });

const apiShaped = fc.record({
  gender: leaf(fc.constantFrom('female', 'male')),
  name: leaf(fc.record({ title: leaf(fc.string()), first: leaf(fc.string({ unit: 'grapheme' })), last: leaf(fc.string({ unit: 'grapheme' })) })),
  location: leaf(
    fc.record({
      street: leaf(fc.record({ number: leaf(fc.oneof(fc.integer(), fc.string())), name: leaf(fc.string({ unit: 'grapheme' })) })),
      city: leaf(fc.string()),
      state: leaf(fc.string()),
      country: leaf(fc.string()),
      postcode: leaf(fc.oneof(fc.integer(), fc.string())),
    }),
  ),
  email: leaf(fc.emailAddress()),
  login: leaf(fc.record({ uuid: leaf(fc.uuid({ version: 4 })), username: leaf(fc.string()) })),
  dob: leaf(fc.record({ date: leaf(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), age: leaf(fc.integer()) })),
  registered: leaf(fc.record({ date: leaf(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())) })),
  phone: leaf(fc.string()),
  id: leaf(fc.record({ name: leaf(fc.string()), value: leaf(fc.oneof(fc.constant(null), fc.string())) })),
  picture: leaf(fc.record({ medium: leaf(fc.webUrl()) })),
});

describe('formatting arbitrary API-shaped users', () => {
  it('never throws, and turns every accepted user into a row that writeUsers accepts', () => {
    const outcomes = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(apiShaped, (candidate) => {
        const checked = checkRandomUser(candidate);
        outcomes[checked.ok ? 'accepted' : 'rejected']++;
        if (!checked.ok) {
          expect(checked.reason).toMatch(/^[\w.()]+: \w+$/);
          return;
        }
        const row = toCreatedUser(checked.user);
        for (const field of CREATED_USER_FIELDS.filter((f) => f !== 'nationality')) expect(typeof (row as Record<string, unknown>)[field]).toBe('string');
        expect(row.nationality === null || typeof row.nationality === 'string').toBe(true);
        expect(row.id).toBe(checked.user.login.uuid);
        // What produceUsers publishes, writeUsers reads back unchanged.
        expect(parseCreatedUser(JSON.parse(JSON.stringify(row)))).toEqual(row);
      }),
      { numRuns: 1000 },
    );
    expect(outcomes.accepted).toBeGreaterThan(50);
    expect(outcomes.rejected).toBeGreaterThan(50);
  });

  it('never names a value in its reason, only the field and the rule', () => {
    fc.assert(
      fc.property(
        apiShaped,
        fc.string({ minLength: 6 }).filter((s) => /^[a-z]+$/.test(s)),
        (candidate, secret) => {
          const checked = checkRandomUser({ ...(candidate as object), email: 42, phone: secret });
          expect(checked.ok).toBe(false);
          if (!checked.ok) expect(checked.reason).not.toContain(secret);
        },
      ),
    );
  });
});
