import { expectedRow } from '../../test/support/expected-row';
import { recordedMixedRecords, recordedResponse, recordedUsers } from '../../infra/local/users-api/recorded-users';
import { CREATED_USER_FIELDS } from '../shared/created-user';
import { checkRandomUser, type RandomUser } from './random-user';
import { toCreatedUser } from './to-created-user';

function accepted(record: unknown): RandomUser {
  const check = checkRandomUser(record);
  if (!check.ok) throw new Error(`fixture rejected: ${check.reason}`);
  return check.user;
}

describe('toCreatedUser formats a Random User API record as the seed format_data does', () => {
  const all = recordedUsers() as RandomUser[];

  it.each(all.map((raw) => [raw.login.username, raw]))('formats %s field for field', (_label, raw) => {
    const user = toCreatedUser(accepted(raw));
    expect(user).toEqual(expectedRow(raw));
    expect(Object.keys(user)).toEqual([...CREATED_USER_FIELDS]);
    expect(typeof user.post_code).toBe('string');
  });

  it('covers both recorded files', () => {
    expect(all).toHaveLength(recordedResponse().results.length + recordedMixedRecords().length);
    expect(all.length).toBeGreaterThanOrEqual(10);
  });

  it('turns numeric post codes into strings without losing digits', () => {
    const jared = all.find((raw) => raw.login.username === 'greenduck668')!;
    expect(typeof jared.location.postcode).toBe('number');
    expect(toCreatedUser(accepted(jared)).post_code).toBe('90592');
  });

  it('keeps Canadian alphanumeric post codes as they are', () => {
    const bently = all.find((raw) => raw.name.last === 'Martin')!;
    expect(toCreatedUser(accepted(bently)).post_code).toBe('Z4B 4T0');
  });

  it('keeps accented and non-ASCII letters intact', () => {
    const names = all.map((raw) => toCreatedUser(accepted(raw))).map((user) => `${user.first_name} ${user.last_name}`);
    expect(names).toEqual(expect.arrayContaining(['Cristian Díaz', 'Signe Jørgensen', 'Gaël Deschamps']));
  });

  it('uses login.uuid as the id, so the same user published twice is the same row', () => {
    const raw = all[0];
    expect(toCreatedUser(accepted(raw)).id).toBe('2a9cb0f5-cbe0-4aab-9561-c2d3c934aa88');
    expect(toCreatedUser(accepted(structuredClone(raw))).id).toBe('2a9cb0f5-cbe0-4aab-9561-c2d3c934aa88');
  });
});
