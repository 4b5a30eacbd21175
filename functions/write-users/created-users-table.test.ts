import fs from 'node:fs';
import path from 'node:path';
import { CREATED_USER_FIELDS } from '../shared/created-user';
import { INSERT_CREATED_USER, KEYSPACE, TABLE } from './created-users-table';

const schema = fs.readFileSync(path.resolve(__dirname, '../../contract/schema.cql'), 'utf8');

describe('created_users, as the writer sees it', () => {
  it('has exactly the columns of contract/schema.cql, in order', () => {
    const body = new RegExp(`CREATE TABLE IF NOT EXISTS ${KEYSPACE}\\.${TABLE} \\(([^;]*)\\);`).exec(schema)?.[1];
    expect(body).toBeDefined();
    const columns = body!
      .replace(/--[^\n]*/g, '')
      .split(',')
      .map((line) => line.trim().split(/\s+/)[0])
      .filter(Boolean);
    expect(columns).toEqual([...CREATED_USER_FIELDS]);
  });

  it('keys the table by a uuid id and stores every other column as text, as the seed did', () => {
    expect(schema).toMatch(/id uuid PRIMARY KEY/);
    for (const field of CREATED_USER_FIELDS.filter((f) => f !== 'id')) expect(schema).toMatch(new RegExp(`\\b${field} text\\b`));
  });

  it('is an upsert of every column, one marker each, in the order the row is bound', () => {
    expect(INSERT_CREATED_USER).toBe(
      'INSERT INTO spark_streams.created_users (id, first_name, last_name, gender, address, post_code, email, username, dob, registered_date, phone, picture, nationality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  });
});
