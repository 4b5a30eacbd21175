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
    const table = readCqlTable("CREATE TABLE a.b (x int, y int, z map<text, int>, w text, PRIMARY KEY ((x, y), w)) WITH comment = 'c';");
    expect(table.partitionKey).toEqual(['x', 'y']);
    expect(table.clusteringKey).toEqual(['w']);
    expect(table.columns.map((c) => c.type)).toEqual(['int', 'int', 'map<text, int>', 'text']);
  });

  it('says which file lacks a table or a key', () => {
    expect(() => readCqlTable('CREATE KEYSPACE x;')).toThrow(/schema\.cql: no "CREATE TABLE/);
    expect(() => readCqlTable('CREATE TABLE a.b (x int);')).toThrow(/a\.b has no PRIMARY KEY/);
  });

  it('reads CQL written with any spacing, and long names', () => {
    const spaced = readCqlTable(
      'create  table \t IF  NOT\n EXISTS  spark_streams.created_users  (\n  id   UUID   PRIMARY   KEY,\n  first_name    TEXT ,\n  tags  map<text,   int>\n)  ;',
    );
    expect(spaced).toEqual({
      keyspace: 'spark_streams',
      table: 'created_users',
      columns: [
        { name: 'id', type: 'uuid' },
        { name: 'first_name', type: 'text' },
        { name: 'tags', type: 'map<text, int>' },
      ],
      partitionKey: ['id'],
      clusteringKey: [],
    });
    const tight = readCqlTable('CREATE TABLE ks.users(id uuid,day text,PRIMARY KEY(id,day));');
    expect(tight).toMatchObject({ keyspace: 'ks', table: 'users', partitionKey: ['id'], clusteringKey: ['day'] });
    const wide = readCqlTable('CREATE TABLE ks.users (id uuid, day text, PRIMARY  KEY  ( (id ,  day) ));');
    expect(wide).toMatchObject({ partitionKey: ['id', 'day'], clusteringKey: [] });
  });

  it('tolerates a trailing comma after the last definition', () => {
    expect(readCqlTable('CREATE TABLE ks.t (id uuid PRIMARY KEY, name text,\n);').columns.map((c) => c.name)).toEqual(['id', 'name']);
  });

  it('names a column definition it cannot read', () => {
    expect(() => readCqlTable('CREATE TABLE ks.t (id uuid PRIMARY KEY, "Quoted" text);')).toThrow(
      /schema\.cql: cannot read the column definition ""Quoted" text"\./,
    );
    expect(() => readCqlTable('CREATE TABLE ks.t (id uuid PRIMARY KEY, lonely);')).toThrow('cannot read the column definition "lonely"');
    expect(() => readCqlTable('CREATE TABLE ks.t (id uuid PRIMARY KEY, #tag text);')).toThrow('cannot read the column definition "#tag text"');
  });
});
