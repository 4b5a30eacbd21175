// `npm run scaling`: the AWS footprint for 1,000, 100,000 and 10,000,000 users a minute, computed
// from bench/results/latest.json and AWS's published limits, printed and written into docs/scaling.md
// (npm run bench rewrites it too, with every new latest.json).
import fs from 'node:fs';
import path from 'node:path';
import { readCommandLine, usageFailure } from '../../infra/command-line';
import type { BenchResults } from '../results';
import { ratesFrom, RatesFileError, type Rates } from './prices';
import { scalingSection, withScaling } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const USAGE = `npm run scaling: what the pipeline needs on AWS at 1,000, 100,000 and 10,000,000 users a minute

Reads bench/results/latest.json (npm run bench refreshes it), bench/scaling/aws-limits.json and the
rates of bench/scaling/aws-prices.json, prints the table and writes it into docs/scaling.md.

  --prices FILE   price it at your region's rates: a JSON object of rate names (those of
                  aws-prices.json) to US dollars, {"keyspacesWriteRequestUnitsPerMillion": <dollars>, ...};
                  the rates it does not name stay as published. The table is printed, docs/scaling.md
                  left as it is.`;

function main(): void {
  const { values } = readCommandLine({ usage: USAGE, options: { prices: { type: 'string' } } });
  let rates: Rates;
  try {
    rates = ratesFrom(values.prices);
  } catch (error) {
    if (error instanceof RatesFileError) usageFailure(USAGE, error.message);
    throw error;
  }
  const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results', 'latest.json'), 'utf8')) as BenchResults;
  if (values.prices !== undefined) {
    console.log(scalingSection(results, ROOT, rates, values.prices));
    return;
  }
  const section = scalingSection(results, ROOT);
  const file = path.join(ROOT, 'docs', 'scaling.md');
  fs.writeFileSync(file, withScaling(fs.readFileSync(file, 'utf8'), section));
  console.log(section);
}

main();
