// `npm run scaling`: the AWS footprint for 1,000, 100,000 and 10,000,000 users a minute, computed
// from bench/results/latest.json and AWS's published limits, printed and written into docs/scaling.md
// (npm run bench rewrites it too, with every new latest.json).
import fs from 'node:fs';
import path from 'node:path';
import { readCommandLine } from '../../infra/command-line';
import type { BenchResults } from '../results';
import { scalingSection, withScaling } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const USAGE = `npm run scaling: what the pipeline needs on AWS at 1,000, 100,000 and 10,000,000 users a minute

Reads bench/results/latest.json (npm run bench refreshes it) and bench/scaling/aws-limits.json,
prints the table and writes it into docs/scaling.md.`;

function main(): void {
  readCommandLine({ usage: USAGE });
  const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results', 'latest.json'), 'utf8')) as BenchResults;
  const section = scalingSection(results, ROOT);
  const file = path.join(ROOT, 'docs', 'scaling.md');
  fs.writeFileSync(file, withScaling(fs.readFileSync(file, 'utf8'), section));
  console.log(section);
}

main();
