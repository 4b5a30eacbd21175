import { conformanceRows } from '../local/tools/conformance-table';

// docs/deploying.md holds the deployment to AWS's documentation row by row: each requirement, its page,
// and the tests that fail when the deployment stops meeting it. A renamed or deleted test must not leave
// a row proven by nothing.
const rows = conformanceRows('docs/deploying.md');

describe('the conformance table of docs/deploying.md', () => {
  it('holds the eight defects found against AWS’s pages, and the rest of what deploys', () => {
    expect(rows.length).toBeGreaterThanOrEqual(18);
    expect(rows.filter((row) => row.citations.length === 0).map((row) => row.requirement)).toEqual([]);
  });

  it.each(rows.map((row) => [row.requirement.slice(0, 60), row]))('%s… names tests that exist', (_requirement, row) => {
    for (const { file, name, found } of row.citations) expect(`${file}: ${found ? 'found' : 'missing'} "${name}"`).toBe(`${file}: found "${name}"`);
  });
});
