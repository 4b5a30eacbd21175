// The value schema of users_created: one Avro file (created-user.avsc.json beside this one) is the
// source of the producer's serialiser, the registry subject and its compatibility rule, the fields the
// writer reads and the table's columns (schema.cql, held to it by a test). Avro, not JSON Schema: a
// field added with a default is BACKWARD compatible in every Confluent-compatible registry, while an
// open JSON Schema refuses even an optional addition; Lambda's mapping validates both.
import schema from './created-user.avsc.json';
import version1 from './schema-history/created-user.v1.avsc.json';
import { USERS_CREATED_TOPIC } from './topic-names';

export type AvroSchema = typeof schema;

/** The current schema: what produceUsers writes. */
export const CREATED_USER_SCHEMA: AvroSchema = schema;

/** Every version ever registered, oldest first: a registry that has these accepts the current one. */
export const CREATED_USER_SCHEMA_HISTORY: readonly object[] = [version1, schema];

/** Confluent's TopicNameStrategy: the subject of a topic's values is `<topic>-value`. */
export const valueSubject = (topic: string) => `${topic}-value`;
export const CREATED_USER_SUBJECT = valueSubject(USERS_CREATED_TOPIC);

/**
 * Every version reads every other, registered before or after it: an old and a new producer share the
 * topic, and a writer not yet redeployed reads the new records. A new field needs a default; removing
 * or retyping a field, or adding a required one, is refused before any record is published.
 */
export const CREATED_USER_COMPATIBILITY = 'FULL_TRANSITIVE';

/** The schema's field names, in order: the columns of spark_streams.created_users. */
export const CREATED_USER_FIELDS: readonly string[] = schema.fields.map((field) => field.name);

/** The schema as the registry's API takes it: its canonical JSON text. */
export const schemaText = (avro: object = CREATED_USER_SCHEMA) => JSON.stringify(avro);
