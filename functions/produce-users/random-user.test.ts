import { recordedUsers } from '../../infra/local/users-api/recorded-users';
import { checkRandomUser } from './random-user';

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function variant(change: (record: Mutable) => void): Mutable {
  const record = structuredClone(recordedUsers()[0]) as Mutable;
  change(record);
  return record;
}

describe('checkRandomUser accepts every real variant of the API', () => {
  it('accepts every recorded record', () => {
    for (const record of recordedUsers()) expect(checkRandomUser(record)).toMatchObject({ ok: true });
  });

  it.each([
    ['a numeric post code', (r: Mutable) => (r.location.postcode = 90592)],
    ['a string post code', (r: Mutable) => (r.location.postcode = 'SW1A 1AA')],
    ['a null id.value', (r: Mutable) => (r.id = { name: '', value: null })],
    ['a garbage id.value', (r: Mutable) => (r.id = { name: 'TFN', value: 'NaNNA197undefined' })],
    ['no id block at all', (r: Mutable) => delete r.id],
    ['a Cyrillic name', (r: Mutable) => (r.name = { title: 'Mr', first: 'Добромир', last: 'Іваненко' })],
    ['an Arabic name and street', (r: Mutable) => ((r.name = { title: 'Mr', first: 'محمدعلی', last: 'کوتی' }), (r.location.street.name = 'میدان انقلاب'))],
    ['a Devanagari name', (r: Mutable) => (r.name = { title: 'Ms', first: 'अनन्या', last: 'शर्मा' })],
    ['a string street number', (r: Mutable) => (r.location.street.number = '12b')],
  ])('accepts %s', (_label, change) => {
    expect(checkRandomUser(variant(change))).toMatchObject({ ok: true });
  });
});

describe('checkRandomUser rejects a record that lacks what the row needs', () => {
  it.each([
    ['no login.uuid', (r: Mutable) => delete r.login.uuid, 'login.uuid'],
    ['a login.uuid that is not a UUID', (r: Mutable) => (r.login.uuid = 'NaNNA197undefined'), 'login.uuid'],
    ['an empty first name', (r: Mutable) => (r.name.first = '  '), 'name.first'],
    ['no email', (r: Mutable) => delete r.email, 'email'],
    ['a post code that is an object', (r: Mutable) => (r.location.postcode = { code: 1 }), 'location.postcode'],
    ['no medium picture', (r: Mutable) => delete r.picture.medium, 'picture.medium'],
    ['no registration date', (r: Mutable) => delete r.registered, 'registered'],
  ])('rejects %s, naming the field', (_label, change, field) => {
    const check = checkRandomUser(variant(change));
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason.startsWith(`${field}:`)).toBe(true);
  });

  it('rejects values that are not records', () => {
    expect(checkRandomUser(null)).toEqual({ ok: false, reason: '(record): invalid_type' });
    expect(checkRandomUser('a string')).toEqual({ ok: false, reason: '(record): invalid_type' });
    expect(checkRandomUser(variant((r) => delete r.login.uuid))).toEqual({ ok: false, reason: 'login.uuid: invalid_type' });
  });

  it('never puts the rejected value in the reason (reasons are logged)', () => {
    const email = 'person.private@example.com';
    const check = checkRandomUser(variant((r) => ((r.email = email), (r.login.uuid = `not-a-uuid ${email}`))));
    expect(check.ok).toBe(false);
    expect(JSON.stringify(check)).not.toContain('person.private');
  });
});
