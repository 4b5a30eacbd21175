import fs from 'node:fs';
import path from 'node:path';
import { FIGURES_END, FIGURES_START, figureRows, markdownTable, withFigures } from './report';
import type { BenchResults } from './results';

const latest = JSON.parse(fs.readFileSync(path.join(__dirname, 'results', 'latest.json'), 'utf8')) as BenchResults;
const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'benchmarks.md'), 'utf8');

describe('docs/benchmarks.md', () => {
  it('quotes bench/results/latest.json as npm run bench writes it', () => {
    expect(withFigures(doc, latest)).toBe(doc);
  });
});

describe('withFigures', () => {
  it('replaces only what stands between the markers', () => {
    const page = `# title\n\n${FIGURES_START}\nold figures\n${FIGURES_END}\n\nprose\n`;
    const updated = withFigures(page, latest);
    expect(updated.startsWith(`# title\n\n${FIGURES_START}\n`)).toBe(true);
    expect(updated.endsWith(`${FIGURES_END}\n\nprose\n`)).toBe(true);
    expect(updated).not.toContain('old figures');
    expect(updated).toContain(`\`${latest.commit}\``);
  });

  it('refuses a page without its markers', () => {
    expect(() => withFigures('# no markers', latest)).toThrow(/lost its figure markers/);
  });
});

describe('figureRows', () => {
  it('shows the drain beside its baseline and the step that was not held', () => {
    const rows = figureRows(latest);
    const drain = rows.find((row) => row[0].startsWith('backlog drain'))!;
    expect(drain[1]).toBe(`${latest.endToEnd.drainPerSec.toLocaleString('en-US')} rows/s`);
    const { drainPerSec, drainRawPerSec: before, drainRawAfterPerSec: after, drainRatio } = latest.endToEnd;
    const en = (value: number) => value.toLocaleString('en-US');
    expect(drain[2]).toBe(`raw driver, same rows ${en(latest.endToEnd.drainBaselinePerSec)} rows/s (${en(before)} before, ${en(after)} after)`);
    expect(drain[3]).toBe(
      `×${drainRatio.toFixed(2)} (${(drainPerSec / Math.max(before, after)).toFixed(2)}–${(drainPerSec / Math.min(before, after)).toFixed(2)})`,
    );
    const held = rows.find((row) => row[0] === 'highest rate held')!;
    const missed = latest.endToEnd.steps.find((step) => !step.held);
    expect(held[2]).toBe(
      missed
        ? `not ${missed.ratePerSec.toLocaleString('en-US')} (${missed.lagAtEnd.toLocaleString('en-US')} waiting at the step's end)`
        : expect.stringMatching(/^every step held/),
    );
  });

  it('shows the drain of results from before the baseline was measured after it too with its one baseline', () => {
    const older = structuredClone(latest);
    delete (older.endToEnd as Partial<BenchResults['endToEnd']>).drainRawAfterPerSec;
    const drain = figureRows(older).find((row) => row[0].startsWith('backlog drain'))!;
    expect(drain[2]).toBe(`raw driver, same rows ${latest.endToEnd.drainBaselinePerSec.toLocaleString('en-US')} rows/s`);
    expect(drain[3]).toBe(`×${latest.endToEnd.drainRatio.toFixed(2)}`);
  });

  it("shows the drain against the seed's Spark job, whole and warm, with Spark's rates as the baselines", () => {
    const rows = figureRows(latest);
    const spark = rows.findIndex((row) => row[0] === "  against the seed's Spark job");
    expect(rows[spark].slice(1)).toEqual([
      `${latest.endToEnd.drainPerSec.toLocaleString('en-US')} rows/s`,
      `Spark ${latest.spark.drainPerSec.toLocaleString('en-US')} rows/s, after ${latest.spark.startSeconds} s to start`,
      `×${latest.spark.ratio.toFixed(2)}`,
      '≥ 2',
    ]);
    expect(rows[spark + 1][2]).toBe(`Spark's batches writing ${latest.spark.writePerSec.toLocaleString('en-US')} rows/s`);
    expect(rows[spark + 1][3]).toBe(`×${latest.spark.warmRatio.toFixed(2)}`);
  });

  it('escapes a pipe inside a cell of the markdown table', () => {
    expect(
      markdownTable([
        ['a', 'b'],
        ['x|y', 'z'],
      ]),
    ).toBe('| a | b |\n| --- | --- |\n| x\\|y | z |');
  });
});
