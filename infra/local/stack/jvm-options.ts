// Reads a jvm-server.options file: one option a line, '#' comments, as Cassandra's own launcher does.
import fs from 'node:fs';

export function readJvmOptions(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .flatMap((line) => (line.startsWith('--add-') ? line.split(/\s+/) : [line]));
}
