import fs from 'node:fs';
import path from 'node:path';

// docs/emulator.md names, for each behaviour of AWS's mapping, the tests that prove the emulator does
// it. A renamed or deleted test must not leave a row proven by nothing.
const root = path.resolve(__dirname, '..', '..');
const table = fs.readFileSync(path.join(root, 'docs', 'emulator.md'), 'utf8').split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !line.startsWith('| behaviour'));

describe('the conformance table of docs/emulator.md', () => {
  it('has a row for every behaviour the issue lists', () => {
    expect(table.length).toBeGreaterThanOrEqual(20);
  });

  it.each(table.map((row) => [row.split(' | ')[0].slice(2, 60), row]))('%s… names tests that exist', (_behaviour, row) => {
    const proof = row.split(' | ')[2];
    const citations = [...proof.matchAll(/`([^`]+\.test\.ts)` › ((?:"[^"]+"(?:; )?)+)/g)];
    expect(citations.length).toBeGreaterThan(0);
    for (const [, file, names] of citations) {
      const source = fs.readFileSync(path.join(root, file), 'utf8');
      for (const [, name] of names.matchAll(/"([^"]+)"/g)) {
        expect(`${file}: ${source.includes(name) ? 'found' : 'missing'} "${name}"`).toBe(`${file}: found "${name}"`);
      }
    }
  });
});
