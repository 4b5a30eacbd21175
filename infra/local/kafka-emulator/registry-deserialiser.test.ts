import { CREATED_USER_SCHEMA } from '../../../contract/created-user-schema';
import { avroType } from '../../../contract/avro';
import { frame } from '../../../contract/wire-format';
import { SchemaRegistryClient, SchemaRegistryError } from '../../../functions/shared/schema-registry';
import type { SchemaRegistry } from '../../mapping/schema-registry-config';
import { toLambdaKafkaRecord, type SourceRecord } from './build-lambda-kafka-event';
import { RegistryDeserialiser } from './registry-deserialiser';

const user = {
  id: '2a9cb0f5-cbe0-4aab-9561-c2d3c934aa88',
  first_name: 'Bently',
  last_name: 'Gill',
  gender: 'male',
  address: '1 High St, Leeds',
  post_code: 'LS1 1AA',
  email: 'b@example.com',
  username: 'bgill',
  dob: '1990-01-01T00:00:00.000Z',
  registered_date: '2010-01-01T00:00:00.000Z',
  phone: '0',
  picture: 'https://example.com/p.jpg',
  nationality: 'GB',
};
const encoded = avroType(CREATED_USER_SCHEMA).toBuffer(user);

/** A registry holding the contract's schema as id 3; `down` makes it refuse connections. */
function registry() {
  const state = { down: false, asked: 0 };
  const client = new SchemaRegistryClient('http://registry.test', {
    fetch: (async (url: string) => {
      state.asked++;
      if (state.down) throw new TypeError('fetch failed: ECONNREFUSED');
      return url.endsWith('/schemas/ids/3')
        ? new Response(JSON.stringify({ schema: JSON.stringify(CREATED_USER_SCHEMA) }), { status: 200 })
        : new Response(JSON.stringify({ error_code: 40403, message: 'Schema not found' }), { status: 404 });
    }) as typeof fetch,
  });
  return { client, state };
}

/** A record as Kafka gives it to the emulator: bytes, not yet the event's base64. */
const record = (value: Buffer | null, key: Buffer | string = user.id): SourceRecord => ({
  topic: 'users_created',
  partition: 0,
  offset: 7,
  timestamp: 1,
  key,
  value,
  headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
});

const config = (overrides: Partial<SchemaRegistry> = {}): SchemaRegistry => ({
  uri: 'http://registry.test',
  eventRecordFormat: 'JSON',
  validate: ['VALUE'],
  accessConfigs: [],
  ...overrides,
});

describe('the emulated mapping’s schema registry', () => {
  it('delivers a valid record as JSON with valueSchemaMetadata (format AVRO, the schema id), everything else as it was', async () => {
    const source = record(frame(3, encoded));
    const result = await new RegistryDeserialiser(config(), registry().client).deserialise(source);
    expect(result.ok).toBe(true);
    expect(JSON.parse(Buffer.from(result.record.value!, 'base64').toString('utf8'))).toEqual(user);
    expect(result.record.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: '3' });
    const { value: _delivered, valueSchemaMetadata: _metadata, ...rest } = result.record;
    const { value: _source, ...asBuilt } = toLambdaKafkaRecord(source);
    expect(rest).toStrictEqual(asBuilt);
    expect(result.record.headers).toEqual([{ traceparent: [...Buffer.from(source.headers!.traceparent as string)] }]);
    // Plain JSON data: the worker thread gets this object as it is, where AWS's function parses JSON.
    expect(JSON.parse(JSON.stringify(result.record))).toStrictEqual(result.record);
  });

  it('delivers SOURCE as the record’s own bytes with the wire format’s header (the schema id) removed', async () => {
    const result = await new RegistryDeserialiser(config({ eventRecordFormat: 'SOURCE' }), registry().client).deserialise(record(frame(3, encoded)));
    expect(Buffer.from(result.record.value!, 'base64')).toEqual(encoded);
    expect(result.record.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: '3' });
  });

  it('fails a record naming a schema id the registry does not have, saying which id', async () => {
    const source = record(frame(99, encoded));
    const result = await new RegistryDeserialiser(config(), registry().client).deserialise(source);
    expect(result).toMatchObject({ ok: false, reason: 'value: schema id 99 is not in the registry' });
    // The on-failure destination gets the record as it came, its own bytes and no metadata.
    expect(result.record).toStrictEqual(toLambdaKafkaRecord(source));
    expect(result.record.value).toBe(frame(99, encoded).toString('base64'));
  });

  it('fails a record that is not in the wire format, or does not decode as its schema, or has no value', async () => {
    const deserialiser = new RegistryDeserialiser(config(), registry().client);
    expect(await deserialiser.deserialise(record(Buffer.from('{"id":"x"}')))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not in the registry's wire format \(first byte is 123/),
    });
    expect(await deserialiser.deserialise(record(frame(3, encoded.subarray(0, 20))))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not decode as schema 3/),
    });
    expect(await deserialiser.deserialise(record(frame(3, Buffer.concat([encoded, Buffer.from([1])]))))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not decode as schema 3/),
    });
    expect(await deserialiser.deserialise(record(null))).toMatchObject({ ok: false, reason: expect.stringMatching(/value is empty/) });
  });

  it('validates the key too when KEY is configured, and says a plain-text key is not in the wire format', async () => {
    const both = new RegistryDeserialiser(config({ validate: ['KEY', 'VALUE'] }), registry().client);
    expect(await both.deserialise(record(frame(3, encoded)))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^key is not in the registry's wire format/),
    });
  });

  it('asks the registry once per schema id, and throws while it does not answer rather than failing the record', async () => {
    const { client, state } = registry();
    const deserialiser = new RegistryDeserialiser(config(), client);
    state.down = true;
    await expect(deserialiser.deserialise(record(frame(3, encoded)))).rejects.toThrow(SchemaRegistryError);
    state.down = false;
    const asked = state.asked;
    await deserialiser.deserialiseAll([record(frame(3, encoded)), record(frame(3, encoded)), record(frame(3, encoded))]);
    expect(state.asked - asked).toBe(1);
  });
});
