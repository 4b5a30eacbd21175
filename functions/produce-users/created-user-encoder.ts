// produceUsers' serialiser: each user as the contract's Avro record in the registry's wire format. The
// schema id is looked up once per container (never registered from here: tooling registers, and a
// producer that could register would let any deploy change the topic's schema).
import { CREATED_USER_SCHEMA, CREATED_USER_SUBJECT, schemaText } from '../../contract/created-user-schema';
import { avroType, invalidPaths, type AvroType } from '../../contract/avro';
import type { CreatedUser } from '../shared/created-user';
import { SchemaRegistryError, type SchemaRegistryClient } from '../shared/schema-registry';
import { frame } from '../../contract/wire-format';

export class CreatedUserEncoder {
  constructor(
    readonly schemaId: number,
    private readonly type: AvroType,
  ) {}

  /** Every user framed, or an error naming the first user's id and field that do not fit: all or nothing. */
  encodeAll(users: CreatedUser[]): Buffer[] {
    return users.map((user) => {
      // avsc's plain check is compiled per type; the one that names the failing paths is slower, so
      // it runs only for a user that fails.
      if (!this.type.isValid(user)) {
        const paths = invalidPaths(this.type, user);
        throw new SchemaRegistryError(
          'incompatible',
          `user ${user.id} does not fit schema ${this.schemaId} (field ${paths.join(', ')}); nothing was published.`,
        );
      }
      return frame(this.schemaId, this.type.toBuffer(user));
    });
  }
}

export async function openCreatedUserEncoder(
  registry: SchemaRegistryClient,
  { subject = CREATED_USER_SUBJECT, schema = CREATED_USER_SCHEMA }: { subject?: string; schema?: object } = {},
): Promise<CreatedUserEncoder> {
  return new CreatedUserEncoder(await registry.idOf(subject, schemaText(schema)), avroType(schema));
}
