import { avroType } from '../../contract/avro';
import { CREATED_USER_SCHEMA } from '../../contract/created-user-schema';
import { frame } from '../../contract/wire-format';
import type { CreatedUser } from '../shared/created-user';
import { SchemaRegistryError } from '../shared/schema-registry';
import { benchUsers } from '../../bench/bench-users';
import { CreatedUserEncoder } from './created-user-encoder';

const type = avroType(CREATED_USER_SCHEMA);

// The recorded API users as produceUsers formats them, each copy with an id of its own.
const recorded = benchUsers(1_000);
let copies = 0;
function userWith(address: string, first_name?: string): CreatedUser {
  const base = recorded[copies++ % recorded.length]!;
  return { ...base, address, first_name: first_name ?? base.first_name };
}

/** Each user as avsc alone frames it: the bytes a consumer with the registry reads. */
const oneByOne = (users: CreatedUser[]) => users.map((user) => frame(7, type.toBuffer(user)));

describe('the created-user encoder', () => {
  it('frames each of many users, across many chunks, byte for byte as avsc frames one alone', () => {
    // 600 users of 150–1,150 address characters: several chunks, each boundary at a different place.
    const users = Array.from({ length: 600 }, (_, i) => userWith('1 High St, Leeds '.padEnd(150 + ((i * 37) % 1000), 'x')));
    const framed = new CreatedUserEncoder(7, type).encodeAll(users);
    expect(framed).toEqual(oneByOne(users));
    expect(framed.map((bytes) => type.fromBuffer(bytes.subarray(5)))).toEqual(users);
  });

  it('counts characters of more than one byte, and frames whole a user larger than a chunk between two small ones', () => {
    const users = [userWith('Zoë Straße 1', 'Zoë 🚀'), userWith('x'.repeat(200_000)), userWith('Ōsaka 大阪')];
    const framed = new CreatedUserEncoder(7, type).encodeAll(users);
    expect(framed).toEqual(oneByOne(users));
    expect(framed[1].length).toBeGreaterThan(200_000);
  });

  it('gives each call bytes of its own: a later run does not overwrite what an earlier one returned', () => {
    const encoder = new CreatedUserEncoder(7, type);
    const first = [userWith('1 High St')];
    const earlier = encoder.encodeAll(first);
    const copy = Buffer.from(earlier[0]);
    encoder.encodeAll([userWith('2 Low Rd, somewhere much longer than the first')]);
    expect(earlier[0]).toEqual(copy);
  });

  it('refuses the whole batch on a user that does not fit, naming its id and field', () => {
    const bad = { ...userWith('1 High St'), phone: 12 } as unknown as CreatedUser;
    const encoder = new CreatedUserEncoder(7, type);
    expect(() => encoder.encodeAll([userWith('fine'), bad])).toThrow(SchemaRegistryError);
    expect(() => encoder.encodeAll([userWith('fine'), bad])).toThrow(`user ${bad.id} does not fit schema 7 (field phone)`);
  });
});
