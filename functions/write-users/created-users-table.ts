// spark_streams.created_users as the writer sees it. The columns are the shared record's fields;
// a unit test holds them equal to contract/schema.cql, the table's one definition.
import { CREATED_USER_FIELDS } from '../shared/created-user';

export const KEYSPACE = 'spark_streams';
export const TABLE = 'created_users';

/** An upsert: the id is the primary key, so a replayed record rewrites its own row and adds none. */
export const INSERT_CREATED_USER = `INSERT INTO ${KEYSPACE}.${TABLE} (${CREATED_USER_FIELDS.join(', ')}) VALUES (${CREATED_USER_FIELDS.map(() => '?').join(', ')})`;
