// produceUsers' serialiser: each user as the contract's Avro record in the registry's wire format. The
// schema id is looked up once per container (never registered from here: tooling registers, and a
// producer that could register would let any deploy change the topic's schema).
import { CREATED_USER_SCHEMA, CREATED_USER_SUBJECT, schemaText } from '../../contract/created-user-schema';
import { avroType, invalidPaths, type AvroType } from '../../contract/avro';
import type { CreatedUser } from '../shared/created-user';
import { SchemaRegistryError, type SchemaRegistryClient } from '../shared/schema-registry';
import { HEADER_BYTES, writeHeader } from '../../contract/wire-format';

/**
 * The bytes a run's records are written into, a chunk at a time: one allocation for many records
 * instead of avsc's buffer per record and the frame's copy of it, a third of the encoding's cost.
 * KafkaJS copies each value into its request, so a chunk lives only as long as the run's send.
 */
const CHUNK_BYTES = 64 * 1024;

export class CreatedUserEncoder {
  constructor(
    readonly schemaId: number,
    private readonly type: AvroType,
  ) {}

  /** Every user framed, or an error naming the first user's id and field that do not fit: all or nothing. */
  encodeAll(users: CreatedUser[]): Buffer[] {
    const framed: Buffer[] = [];
    let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let offset = 0;
    for (const user of users) {
      this.check(user);
      let end = this.encodeAt(user, chunk, offset);
      if (end < 0) {
        // A fresh chunk, larger for a record larger than one.
        const recordBytes = chunk.length - end - offset;
        chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, recordBytes));
        offset = 0;
        end = this.encodeAt(user, chunk, offset);
        if (end < 0) throw new Error(`user ${user.id}: avsc wrote ${recordBytes} bytes of it, then did not fit them in as many`);
      }
      framed.push(chunk.subarray(offset, end));
      offset = end;
    }
    return framed;
  }

  // avsc's plain check is compiled per type; the one that names the failing paths is slower, so it
  // runs only for a user that fails.
  private check(user: CreatedUser): void {
    if (this.type.isValid(user)) return;
    const paths = invalidPaths(this.type, user);
    throw new SchemaRegistryError('incompatible', `user ${user.id} does not fit schema ${this.schemaId} (field ${paths.join(', ')}); nothing was published.`);
  }

  /** The framed record written at `offset`, and where it ends; when it does not fit, the bytes missing, negated (avsc's answer). */
  private encodeAt(user: CreatedUser, chunk: Buffer, offset: number): number {
    const end = this.type.encode(user, chunk, offset + HEADER_BYTES);
    if (end < 0) return end;
    writeHeader(chunk, offset, this.schemaId);
    return end;
  }
}

export async function openCreatedUserEncoder(
  registry: SchemaRegistryClient,
  { subject = CREATED_USER_SUBJECT, schema = CREATED_USER_SCHEMA }: { subject?: string; schema?: object } = {},
): Promise<CreatedUserEncoder> {
  return new CreatedUserEncoder(await registry.idOf(subject, schemaText(schema)), avroType(schema));
}
