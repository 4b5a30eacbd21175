import fs from 'node:fs';
import path from 'node:path';
import { missingFigures, REQUIRED_FIGURES } from './results';

const latest = JSON.parse(fs.readFileSync(path.join(__dirname, 'results', 'latest.json'), 'utf8')) as Record<string, unknown>;

describe('missingFigures', () => {
  it('finds every required figure in the committed results', () => {
    expect(missingFigures(latest)).toEqual([]);
  });

  it('names a figure a section did not produce', () => {
    const withoutP99 = structuredClone(latest) as { endToEnd: Record<string, unknown> };
    delete withoutP99.endToEnd.p99Ms;
    expect(missingFigures(withoutP99)).toEqual(['endToEnd.p99Ms']);
  });

  it('counts a figure that is not a finite number as missing', () => {
    const broken = structuredClone(latest) as { coldStart: { writeUsers: Record<string, unknown> }; producer: Record<string, unknown> };
    broken.coldStart.writeUsers.initMs = null;
    broken.producer.ratio = Number.NaN;
    expect(missingFigures(broken)).toEqual(['producer.ratio', 'coldStart.writeUsers.initMs']);
  });

  it('names every figure of a run that produced nothing', () => {
    expect(missingFigures({})).toEqual([...REQUIRED_FIGURES]);
  });
});
