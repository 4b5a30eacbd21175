import { checkRandomUser } from '../../../functions/produce-users/random-user';
import { toCreatedUser } from '../../../functions/produce-users/to-created-user';
import { generateResponse, NATIONALITIES, readGenerateRequest } from './generated-users';
import { RandomUserStandIn } from './random-user-stand-in';
import { recordedResponse } from './recorded-users';

const request = (query: string) => readGenerateRequest(new URLSearchParams(query));

/** Every key path of a JSON value with the type at its end: the shape, without the values. */
function shape(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [`${prefix}:${value === null ? 'null' : typeof value}`];
  return Object.entries(value).flatMap(([key, inner]) => shape(inner, `${prefix}.${key}`));
}
const paths = (value: unknown) => shape(value).map((entry) => entry.split(':')[0]);

describe('generated users', () => {
  it('have exactly the key paths of a recorded API record, in the same order', () => {
    const recorded = recordedResponse().results[0];
    for (const user of generateResponse(request('results=50&seed=shape')).results) expect(paths(user)).toEqual(paths(recorded));
  });

  it('pass the validation and formatting recorded users pass, for every nationality', () => {
    const { results } = generateResponse(request(`results=${Object.keys(NATIONALITIES).length * 20}&seed=valid`));
    expect(new Set(results.map((user) => user.nat))).toEqual(new Set(Object.keys(NATIONALITIES)));
    for (const user of results) {
      const check = checkRandomUser(user);
      if (!check.ok) throw new Error(`${String(user.nat)} user rejected: ${check.reason}`);
      const row = toCreatedUser(check.user);
      for (const [field, value] of Object.entries(row)) expect([field, typeof value]).toEqual([field, 'string']);
    }
  });

  it('keep the API quirks: numeric and string post codes by nationality, null ids, non-Latin scripts', () => {
    const byNat = (nat: string) => generateResponse(request(`results=20&seed=quirks&nat=${nat}`)).results as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(byNat('us').every((u) => typeof u.location.postcode === 'number')).toBe(true);
    expect(byNat('ca').every((u) => /^[A-Z]\d[A-Z] \d[A-Z]\d$/.test(u.location.postcode))).toBe(true);
    expect(byNat('nl').every((u) => /^\d{4} [A-Z]{2}$/.test(u.location.postcode))).toBe(true);
    expect(byNat('ir').every((u) => u.id.value === null && /\p{Script=Arabic}/u.test(u.name.last))).toBe(true);
    expect(byNat('ua').every((u) => /\p{Script=Cyrillic}/u.test(`${u.name.first}${u.name.last}`))).toBe(true);
  });

  it('are the same for the same seed and page, and new on another page or without a seed', () => {
    const ids = (query: string) => generateResponse(request(query)).results.map((u) => (u.login as { uuid: string }).uuid);
    expect(ids('results=10&seed=abc')).toEqual(ids('results=10&seed=abc'));
    expect(ids('results=3&seed=abc')).toEqual(ids('results=10&seed=abc').slice(0, 3));
    expect(ids('results=10&seed=abc&page=2')).not.toEqual(expect.arrayContaining([ids('results=10&seed=abc')[0]]));
    expect(ids('results=10')).not.toEqual(ids('results=10'));
  });

  it('answer with the info block, the seed used and at most 5,000 results', () => {
    expect(generateResponse(request('results=3&seed=abc&page=4')).info).toEqual({ seed: 'abc', results: 3, page: 4, version: '1.4' });
    expect(generateResponse(request('results=3')).info.seed).toMatch(/^[0-9a-f]{16}$/);
    expect(request('results=9000').results).toBe(5000);
  });

  it('keep only the fields of inc, or drop those of exc', () => {
    expect(Object.keys(generateResponse(request('results=1&inc=name,login,nat')).results[0])).toEqual(['name', 'login', 'nat']);
    expect(Object.keys(generateResponse(request('results=1&exc=login,id,picture')).results[0])).toEqual([
      'gender',
      'name',
      'location',
      'email',
      'dob',
      'registered',
      'phone',
      'cell',
      'nat',
    ]);
  });

  it('refuse an unknown nationality, field or format by name', () => {
    expect(() => request('nat=us,xx')).toThrow('nat: unknown nationality XX');
    expect(() => request('inc=name,shoe')).toThrow('inc: unknown field(s) shoe');
    expect(() => request('format=csv')).toThrow('format=csv: this stand-in serves format=json only');
  });
});

describe('the stand-in serving generated users', () => {
  const standIn = new RandomUserStandIn('generated');
  let url: string;
  beforeAll(async () => {
    url = await standIn.start();
  });
  afterAll(() => standIn.stop());

  it('gives new users on every call, as the real API does, and the same users for a seed', async () => {
    const get = async (query: string) =>
      ((await (await fetch(`${url}?${query}`)).json()) as { results: Array<{ login: { uuid: string } }> }).results.map((u) => u.login.uuid);
    const [first, second] = [await get('results=5'), await get('results=5')];
    expect(first).toHaveLength(5);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(await get('results=5&seed=s')).toEqual(await get('results=5&seed=s'));
  });

  it('answers a bad parameter with HTTP 400 and the API-style error body', async () => {
    const response = await fetch(`${url}?nat=zz`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringContaining('nat: unknown nationality ZZ') });
  });
});
