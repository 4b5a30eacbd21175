// Reads the table definition out of schema.cql (beside this file), so the Amazon Keyspaces resources of a
// deployment are generated from the same file the native stack, compose and the tests apply.
import fs from 'node:fs';
import path from 'node:path';

export interface CqlColumn {
  name: string;
  type: string;
}

export interface CqlTable {
  keyspace: string;
  table: string;
  columns: CqlColumn[];
  partitionKey: string[];
  clusteringKey: string[];
}

export const SCHEMA_FILE = path.resolve(__dirname, 'schema.cql');

export function readCqlTable(cql: string = fs.readFileSync(SCHEMA_FILE, 'utf8')): CqlTable {
  const text = cql.replace(/--[^\n]*/g, '');
  const create = /CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\.(\w+)\s*\(([\s\S]*?)\)\s*(?:WITH[\s\S]*?)?;/i.exec(text);
  if (!create) throw new Error(`${SCHEMA_FILE}: no "CREATE TABLE <keyspace>.<table> (...);" statement found.`);
  const [, keyspace, table, body] = create;
  const columns: CqlColumn[] = [];
  let primaryKey: string | undefined;
  for (const part of splitTopLevel(body)) {
    // Parts have their whitespace collapsed to single spaces (splitTopLevel), hence the literal spaces.
    // Stryker disable next-line Regex: equivalent - a part is one whole definition; no valid CQL part holds this clause but whole, so ^ and $ change nothing
    const keyClause = /^PRIMARY KEY ?\((.*)\)$/i.exec(part);
    if (keyClause) {
      primaryKey = keyClause[1];
      continue;
    }
    const column = /^(\w+) (.+?)( PRIMARY KEY)?$/i.exec(part);
    if (!column) throw new Error(`${SCHEMA_FILE}: cannot read the column definition "${part}".`);
    columns.push({ name: column[1], type: column[2].toLowerCase() });
    if (column[3]) primaryKey = column[1];
  }
  if (primaryKey === undefined) throw new Error(`${SCHEMA_FILE}: ${keyspace}.${table} has no PRIMARY KEY.`);
  const [partition, ...clustering] = splitTopLevel(primaryKey);
  const partitionKey = (partition.startsWith('(') ? partition.slice(1, -1) : partition).split(',').map((name) => name.trim());
  return { keyspace, table, columns, partitionKey, clusteringKey: clustering };
}

/** Splits on commas that are not inside parentheses or angle brackets (map<text, int>, ((a, b), c)). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(' || char === '<') depth++;
    if (char === ')' || char === '>') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts.map((part) => part.replace(/\s+/g, ' '));
}
