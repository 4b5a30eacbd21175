import fs from 'node:fs';
import path from 'node:path';
import { drainAgainstRaw, missingFigures, REQUIRED_FIGURES } from './results';

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

describe('drainAgainstRaw', () => {
  it('takes the mean of the raw inserts before and after the drain, and the ratio’s range over each', () => {
    expect(drainAgainstRaw({ drainPerSec: 6000, drainRawPerSec: 20_000, drainRawAfterPerSec: 30_000 })).toEqual({
      baselinePerSec: 25_000,
      ratio: { median: 0.24, min: 0.2, max: 0.3 },
    });
  });

  it('takes the inserts before the drain alone from results that have no others', () => {
    expect(drainAgainstRaw({ drainPerSec: 5000, drainRawPerSec: 20_000 })).toEqual({ baselinePerSec: 20_000, ratio: { median: 0.25, min: 0.25, max: 0.25 } });
  });
});
