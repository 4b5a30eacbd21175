import { CompressionTypes } from 'kafkajs';
import { recordingProducer } from '../../test/support/recording-producer';
import { CREATED_USER_SCHEMA, CREATED_USER_SUBJECT } from '../../contract/created-user-schema';
import { avroType } from '../../contract/avro';
import type { CreatedUser } from '../shared/created-user';
import { SchemaRegistryClient, SchemaRegistryError } from '../shared/schema-registry';
import { unframe } from '../../contract/wire-format';
import { openCreatedUserEncoder } from './created-user-encoder';
import { publishUsers } from './publish-users';

const user: CreatedUser = {
  id: '2a9cb0f5-cbe0-4aab-9561-c2d3c934aa88',
  first_name: 'Bently',
  last_name: 'Gill',
  gender: 'male',
  address: '1 High St, Leeds, West Yorkshire, United Kingdom',
  post_code: 'LS1 1AA',
  email: 'bently.gill@example.com',
  username: 'bgill',
  dob: '1990-01-01T00:00:00.000Z',
  registered_date: '2010-01-01T00:00:00.000Z',
  phone: '017687 12345',
  picture: 'https://randomuser.me/api/portraits/med/men/1.jpg',
  nationality: 'GB',
};

/** A registry that knows the contract's schema under its subject as id 7, and records what it was asked. */
function registryKnowing(id = 7) {
  const asked: string[] = [];
  const client = new SchemaRegistryClient('http://registry.test/apis/ccompat/v7', {
    fetch: (async (url: string, init: RequestInit) => {
      asked.push(`${init.method} ${url}`);
      const body = JSON.parse(String(init.body)) as { schema: string };
      const known = url.endsWith(`/subjects/${CREATED_USER_SUBJECT}`) && body.schema === JSON.stringify(CREATED_USER_SCHEMA);
      return new Response(JSON.stringify(known ? { id } : { error_code: 40403, message: 'Schema not found' }), { status: known ? 200 : 404 });
    }) as typeof fetch,
  });
  return { client, asked };
}

describe('publishing created users', () => {
  it('keys each user by id, the value the contract’s Avro record framed with its schema id, all replicas acknowledging, compressed', async () => {
    const p = recordingProducer();
    const encoder = await openCreatedUserEncoder(registryKnowing(7).client);
    const other = { ...user, id: '7b0c7f3e-1d2a-4c5b-8e9f-0a1b2c3d4e5f', nationality: null };
    await expect(publishUsers(p.producer, encoder, [user, other])).resolves.toBe(2);
    expect(p.sent).toHaveLength(1);
    expect(p.sent[0]).toMatchObject({ topic: 'users_created', acks: -1, compression: CompressionTypes.GZIP });
    const type = avroType(CREATED_USER_SCHEMA);
    const decoded = p.sent[0].messages.map((message) => {
      const framed = unframe(message.value as Buffer);
      if (!framed.ok) throw new Error(framed.problem);
      return { key: message.key, schemaId: framed.schemaId, user: type.fromBuffer(framed.payload) as unknown };
    });
    expect(decoded).toEqual([
      { key: user.id, schemaId: 7, user },
      { key: other.id, schemaId: 7, user: other },
    ]);
  });

  it('carries the run’s traceparent on every record it publishes', async () => {
    const p = recordingProducer();
    const encoder = await openCreatedUserEncoder(registryKnowing().client);
    await publishUsers(p.producer, encoder, [user, { ...user, id: '7b0c7f3e-1d2a-4c5b-8e9f-0a1b2c3d4e5f' }], {
      traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
    });
    expect(p.sent[0].messages.map((message) => message.headers?.traceparent)).toEqual([
      '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
      '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
    ]);
  });

  it('publishes nothing when one user does not fit the schema, and names that user’s id and field', async () => {
    const p = recordingProducer();
    const encoder = await openCreatedUserEncoder(registryKnowing().client);
    const bad = { ...user, id: '7b0c7f3e-1d2a-4c5b-8e9f-0a1b2c3d4e5f', phone: 42 as unknown as string };
    await expect(publishUsers(p.producer, encoder, [user, bad])).rejects.toThrow(/user 7b0c7f3e-1d2a-4c5b-8e9f-0a1b2c3d4e5f .*field phone/);
    expect(p.sent).toEqual([]);
  });

  it('only looks the schema up: a schema the registry does not have fails with what to do, and is never registered', async () => {
    const { client, asked } = registryKnowing();
    const failure = openCreatedUserEncoder(client, { schema: { ...CREATED_USER_SCHEMA, doc: 'another schema' } });
    await expect(failure).rejects.toThrow(SchemaRegistryError);
    await expect(failure).rejects.toThrow(/not registered under users_created-value .*npm run schema -- register/);
    expect(asked).toEqual([`POST http://registry.test/apis/ccompat/v7/subjects/${CREATED_USER_SUBJECT}`]);
  });

  it('sends nothing for no users', async () => {
    const p = recordingProducer();
    const encoder = await openCreatedUserEncoder(registryKnowing().client);
    await expect(publishUsers(p.producer, encoder, [])).resolves.toBe(0);
    expect(p.sent).toEqual([]);
  });
});
