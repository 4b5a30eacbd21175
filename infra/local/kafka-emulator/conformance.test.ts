import { conformanceRows } from '../tools/conformance-table';

// docs/emulator.md names, for each behaviour of AWS's mapping, the tests that prove the emulator does
// it. A renamed or deleted test must not leave a row proven by nothing.
const rows = conformanceRows('docs/emulator.md');

describe('the conformance table of docs/emulator.md', () => {
  it('has a row for every behaviour the issue lists', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
  });

  it.each(rows.map((row) => [row.requirement.slice(0, 60), row]))('%s… names tests that exist', (_requirement, row) => {
    expect(row.citations.length).toBeGreaterThan(0);
    for (const { file, name, found } of row.citations) expect(`${file}: ${found ? 'found' : 'missing'} "${name}"`).toBe(`${file}: found "${name}"`);
  });
});
