// What Lambda's mapping does with a SchemaRegistryConfig before the function sees a record: read the
// schema id from the wire format, fetch that schema from the registry (once per id), validate the
// record against it by decoding it, and deliver it as JSON (or as its source bytes without the
// header) with the schema's format and id beside it. A record that fails is the caller's to send to
// the on-failure destination; a registry that does not answer fails the whole call, so that the
// partition waits instead of losing records for the registry's fault.
// It reads the bytes Kafka gave, not the event's base64: a backlog passes through here record by
// record on the emulator's one thread, and each base64 pass over a value is work AWS's pollers do
// on machines of their own.
// https://docs.aws.amazon.com/lambda/latest/dg/services-consume-kafka-events.html
import type { LambdaKafkaRecord, SchemaMetadata } from '../../../contract/lambda-kafka-event';
import { avroType, type AvroType } from '../../../contract/avro';
import { unframe } from '../../../contract/wire-format';
import { SchemaRegistryClient, SchemaRegistryError } from '../../../functions/shared/schema-registry';
import type { SchemaRegistry, ValidatedAttribute } from '../../mapping/schema-registry-config';
import { toLambdaKafkaRecord, type SourceRecord } from './build-lambda-kafka-event';

export type Deserialised = { ok: true; record: LambdaKafkaRecord } | { ok: false; record: LambdaKafkaRecord; reason: string };

type Known = { known: true; type: AvroType } | { known: false; reason: string };

export class RegistryDeserialiser {
  private readonly schemas = new Map<number, Promise<Known>>();
  /** The schemas already fetched, read without waiting: most records name one of them. */
  private readonly types = new Map<number, AvroType>();

  constructor(
    private readonly config: SchemaRegistry,
    private readonly client: SchemaRegistryClient = new SchemaRegistryClient(config.uri),
  ) {}

  /** Each record delivered or failed with its reason; throws SchemaRegistryError('unreachable') when the registry does not answer. */
  async deserialiseAll(records: SourceRecord[]): Promise<Deserialised[]> {
    const results: Deserialised[] = [];
    for (const record of records) results.push(await this.deserialise(record));
    return results;
  }

  /** The record as the mapping delivers it, built from the bytes Kafka gave. */
  async deserialise(source: SourceRecord): Promise<Deserialised> {
    let delivered: SourceRecord = source;
    const metadata: Pick<LambdaKafkaRecord, 'keySchemaMetadata' | 'valueSchemaMetadata'> = {};
    for (const attribute of this.config.validate) {
      const field = attribute === 'KEY' ? 'key' : 'value';
      const held = source[field];
      if (held === undefined || held === null) return failed(source, `${field} is empty: nothing to validate against the registry`);
      const framed = unframe(typeof held === 'string' ? Buffer.from(held, 'utf8') : held);
      if (!framed.ok) return failed(source, `${field} is not in the registry's wire format (${framed.problem})`);
      let type = this.types.get(framed.schemaId);
      if (!type) {
        const schema = await this.schemaOf(framed.schemaId);
        if (!schema.known) return failed(source, `${field}: ${schema.reason}`);
        type = schema.type;
      }
      let decoded: unknown;
      try {
        decoded = type.fromBuffer(framed.payload);
      } catch (error) {
        return failed(source, `${field} does not decode as schema ${framed.schemaId} (${(error as Error).message})`);
      }
      const bytes = this.config.eventRecordFormat === 'JSON' ? Buffer.from(JSON.stringify(decoded), 'utf8') : framed.payload;
      delivered = { ...delivered, [field]: bytes };
      metadata[metadataField(attribute)] = { dataFormat: 'AVRO', schemaId: String(framed.schemaId) } satisfies SchemaMetadata;
    }
    return { ok: true, record: { ...toLambdaKafkaRecord(delivered), ...metadata } };
  }

  private schemaOf(id: number): Promise<Known> {
    let pending = this.schemas.get(id);
    if (!pending) {
      pending = this.fetch(id);
      // Only a schema found is remembered: an unknown id may be registered later, and an unreachable
      // registry is asked again by the next record.
      pending.then(
        (known) => (known.known ? this.types.set(id, known.type) : this.schemas.delete(id)),
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

/** A record that failed goes to the on-failure destination as it came: its own bytes, no metadata. */
function failed(source: SourceRecord, reason: string): Deserialised {
  return { ok: false, record: toLambdaKafkaRecord(source), reason };
}

function metadataField(attribute: ValidatedAttribute): 'keySchemaMetadata' | 'valueSchemaMetadata' {
  return attribute === 'KEY' ? 'keySchemaMetadata' : 'valueSchemaMetadata';
}
