import { readCqlTable } from './cql-table';

describe('reading a table definition from CQL', () => {
  it('reads the columns, types and inline primary key of a table', () => {
    expect(readCqlTable('CREATE TABLE IF NOT EXISTS ks.t (\n  id uuid PRIMARY KEY, -- the key\n  name text,\n  tags set<text>\n);')).toEqual({
      keyspace: 'ks',
      table: 't',
      columns: [
        { name: 'id', type: 'uuid' },
        { name: 'name', type: 'text' },
        { name: 'tags', type: 'set<text>' },
      ],
      partitionKey: ['id'],
      clusteringKey: [],
    });
  });

  it('reads a composite partition key and clustering columns from a PRIMARY KEY clause', () => {
    const table = readCqlTable('CREATE TABLE a.b (x int, y int, z map<text, int>, w text, PRIMARY KEY ((x, y), w)) WITH comment = \'c\';');
    expect(table.partitionKey).toEqual(['x', 'y']);
    expect(table.clusteringKey).toEqual(['w']);
    expect(table.columns.map((c) => c.type)).toEqual(['int', 'int', 'map<text, int>', 'text']);
  });

  it('says which file lacks a table or a key', () => {
    expect(() => readCqlTable('CREATE KEYSPACE x;')).toThrow(/schema\.cql: no "CREATE TABLE/);
    expect(() => readCqlTable('CREATE TABLE a.b (x int);')).toThrow(/a\.b has no PRIMARY KEY/);
  });
});
