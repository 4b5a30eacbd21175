// What Lambda's mapping does with a SchemaRegistryConfig before the function sees a record: read the
// schema id from the wire format, fetch that schema from the registry (once per id), validate the
// record against it by decoding it, and deliver it as JSON (or as its source bytes without the
// header) with the schema's format and id beside it. A record that fails is the caller's to send to
// the on-failure destination; a registry that does not answer fails the whole call, so that the
// partition waits instead of losing records for the registry's fault.
// https://docs.aws.amazon.com/lambda/latest/dg/services-consume-kafka-events.html
import type { LambdaKafkaRecord, SchemaMetadata } from '../../../contract/lambda-kafka-event';
import { canonicalBase64 } from '../../../contract/lambda-kafka-event';
import { avroType, type AvroType } from '../../../contract/avro';
import { unframe } from '../../../contract/wire-format';
import { SchemaRegistryClient, SchemaRegistryError } from '../../../functions/shared/schema-registry';
import type { SchemaRegistry, ValidatedAttribute } from '../../mapping/schema-registry-config';

export type Deserialised = { ok: true; record: LambdaKafkaRecord } | { ok: false; record: LambdaKafkaRecord; reason: string };

type Known = { known: true; type: AvroType } | { known: false; reason: string };

export class RegistryDeserialiser {
  private readonly schemas = new Map<number, Promise<Known>>();

  constructor(
    private readonly config: SchemaRegistry,
    private readonly client: SchemaRegistryClient = new SchemaRegistryClient(config.uri),
  ) {}

  /** Each record delivered or failed with its reason; throws SchemaRegistryError('unreachable') when the registry does not answer. */
  async deserialiseAll(records: LambdaKafkaRecord[]): Promise<Deserialised[]> {
    const results: Deserialised[] = [];
    for (const record of records) results.push(await this.deserialise(record));
    return results;
  }

  async deserialise(source: LambdaKafkaRecord): Promise<Deserialised> {
    let record: LambdaKafkaRecord = source;
    for (const attribute of this.config.validate) {
      const field = attribute === 'KEY' ? 'key' : 'value';
      const encoded = source[field];
      if (encoded === undefined || encoded === null)
        return { ok: false, record: source, reason: `${field} is empty: nothing to validate against the registry` };
      const framed = unframe(canonicalBase64(encoded) ?? Buffer.alloc(0));
      if (!framed.ok) return { ok: false, record: source, reason: `${field} is not in the registry's wire format (${framed.problem})` };
      const schema = await this.schemaOf(framed.schemaId);
      if (!schema.known) return { ok: false, record: source, reason: `${field}: ${schema.reason}` };
      let decoded: unknown;
      try {
        decoded = schema.type.fromBuffer(framed.payload);
      } catch (error) {
        return { ok: false, record: source, reason: `${field} does not decode as schema ${framed.schemaId} (${(error as Error).message})` };
      }
      const delivered = this.config.eventRecordFormat === 'JSON' ? Buffer.from(JSON.stringify(decoded), 'utf8') : framed.payload;
      const metadata: SchemaMetadata = { dataFormat: 'AVRO', schemaId: String(framed.schemaId) };
      record = { ...record, [field]: delivered.toString('base64'), [metadataField(attribute)]: metadata };
    }
    return { ok: true, record };
  }

  private schemaOf(id: number): Promise<Known> {
    let pending = this.schemas.get(id);
    if (!pending) {
      pending = this.fetch(id);
      // Only a schema found is remembered: an unknown id may be registered later, and an unreachable
      // registry is asked again by the next record.
      pending.then(
        (known) => known.known || this.schemas.delete(id),
        () => this.schemas.delete(id),
      );
      this.schemas.set(id, pending);
    }
    return pending;
  }

  private async fetch(id: number): Promise<Known> {
    try {
      const registered = await this.client.schemaById(id);
      if (registered.schemaType !== 'AVRO') return { known: false, reason: `schema ${id} is ${registered.schemaType}; the emulator reads Avro only` };
      return { known: true, type: avroType(registered.schema) };
    } catch (error) {
      if (error instanceof SchemaRegistryError && error.failure === 'unknown-id') return { known: false, reason: `schema id ${id} is not in the registry` };
      throw error;
    }
  }
}

function metadataField(attribute: ValidatedAttribute): 'keySchemaMetadata' | 'valueSchemaMetadata' {
  return attribute === 'KEY' ? 'keySchemaMetadata' : 'valueSchemaMetadata';
}
