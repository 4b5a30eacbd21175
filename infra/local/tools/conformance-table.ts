// Reads a conformance table (docs/emulator.md, docs/deploying.md): each row a documented AWS behaviour
// whose last cell names the tests that prove it, as `path.test.ts` › "test name"; "another".
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../stack/stack-settings';

export interface Citation {
  file: string;
  name: string;
  found: boolean;
}

export interface ConformanceRow {
  requirement: string;
  citations: Citation[];
}

export function conformanceRows(doc: string): ConformanceRow[] {
  const lines = fs.readFileSync(path.join(projectRoot, doc), 'utf8').split('\n');
  // The table whose last column is "proven by"; the rows run until the first line that is not one.
  const header = lines.findIndex((line) => line.startsWith('| ') && line.trimEnd().endsWith('| proven by |'));
  const after = lines.slice(header + 2);
  const end = after.findIndex((line) => !line.startsWith('| '));
  const rows = end === -1 ? after : after.slice(0, end);
  return rows.map((row) => {
    const cells = row.split(' | ');
    const proof = cells[cells.length - 1];
    const citations = [...proof.matchAll(/`([^`]+\.test\.ts)` › ((?:"[^"]+"(?:; )?)+)/g)].flatMap(([, file, names]) => {
      const source = fs.existsSync(path.join(projectRoot, file)) ? fs.readFileSync(path.join(projectRoot, file), 'utf8') : '';
      return [...names.matchAll(/"([^"]+)"/g)].map(([, name]) => ({ file, name, found: source.includes(name) }));
    });
    return { requirement: cells[0].slice(2), citations };
  });
}
