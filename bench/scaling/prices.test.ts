import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import published from './aws-prices.json';
import { EXAMPLE_INPUTS } from './example-inputs';
import { plan } from './model';
import { monthlyCosts, PUBLISHED_RATES, RATE_NAMES, ratesFrom, RatesFileError, type Rates } from './prices';

const inputs = EXAMPLE_INPUTS;
const known: Rates = {
  lambdaRequestsPerMillion: 0.2,
  lambdaX86GbSecond: 0.00002,
  lambdaArmGbSecond: 0.00001,
  eventPollerUnitHour: 0.5,
  keyspacesWriteRequestUnitsPerMillion: 1,
  keyspacesWriteCapacityUnitHour: 0.001,
};

function file(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rates-'));
  const name = path.join(dir, 'rates.json');
  fs.writeFileSync(name, content);
  return name;
}

describe('the scaling model’s prices', () => {
  it('multiplies each part’s units by its rate, over a 30-day month', () => {
    const p = plan(10_000_000, inputs);
    const costs = monthlyCosts(p, known);
    const producerRuns = p.producerRunsPerMinute * 60 * 24 * 30;
    expect(costs.lambdaRequests).toEqual({ dollars: ((p.invocationsPerMonth + producerRuns) / 1e6) * 0.2 });
    expect(costs.writerDuration).toEqual({ dollars: p.gbSecondsPerMonth * 0.00001 });
    expect(costs.provisionedPollers).toEqual({ dollars: p.pollers * 720 * 0.5 });
    expect(costs.keyspacesOnDemand).toEqual({ dollars: p.writeRequestUnitsPerMonth / 1e6 });
    expect(costs.keyspacesProvisioned).toEqual({ dollars: p.writeCapacityUnits * 720 * 0.001 });
  });

  it('bounds the arm64 duration by the x86 rate when only that is known, and leaves a part without a rate unpriced', () => {
    const p = plan(100_000, inputs);
    const costs = monthlyCosts(p, { ...known, lambdaArmGbSecond: null, keyspacesWriteRequestUnitsPerMillion: null });
    expect(costs.writerDuration).toEqual({ dollars: p.gbSecondsPerMonth * 0.00002, upperBound: true });
    expect(costs.keyspacesOnDemand).toEqual({ unpriced: 'keyspacesWriteRequestUnitsPerMillion' });
    expect(monthlyCosts(p, { ...known, lambdaArmGbSecond: null, lambdaX86GbSecond: null }).writerDuration).toEqual({ unpriced: 'lambdaArmGbSecond' });
  });

  it('publishes only rates with the page that states them, and no rate it could not read', () => {
    for (const name of RATE_NAMES) {
      expect(published[name].source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      const value = PUBLISHED_RATES[name];
      // A rate the page's text held is quoted in `says`; one it did not is null, never a guess.
      if (value !== null) expect(published[name].says).toContain(`$${value}`);
    }
  });

  it('takes a user’s rates over the published ones, the others kept', () => {
    const rates = ratesFrom(file('{"keyspacesWriteRequestUnitsPerMillion": 0.7, "lambdaArmGbSecond": 0}'));
    expect(rates).toEqual({ ...PUBLISHED_RATES, keyspacesWriteRequestUnitsPerMillion: 0.7, lambdaArmGbSecond: 0 });
    expect(ratesFrom(undefined)).toBe(PUBLISHED_RATES);
  });

  it('refuses a rates file it cannot use, saying each problem and what it expects', () => {
    const problems = (content: string) => {
      try {
        ratesFrom(file(content));
      } catch (error) {
        expect(error).toBeInstanceOf(RatesFileError);
        return (error as Error).message;
      }
      throw new Error('expected a RatesFileError');
    };
    expect(problems('{"lambdaArmGbSecnd": 1, "eventPollerUnitHour": "0.2", "keyspacesWriteCapacityUnitHour": -1}')).toMatch(
      /"lambdaArmGbSecnd" is no rate the model uses \(it uses lambdaRequestsPerMillion, .*\); "eventPollerUnitHour" must be a number of dollars, 0 or more, got "0.2"; "keyspacesWriteCapacityUnitHour" must be .* got -1/,
    );
    expect(problems('[1]')).toMatch(/must hold a JSON object of rate names to dollars/);
    expect(problems('{oops')).toMatch(/could not read .* as JSON/);
  });
});
