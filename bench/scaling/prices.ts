// What each part of a scale plan costs a month, at the rates of aws-prices.json or of a file the user
// gives (`npm run scaling -- --prices FILE`). A part whose rate is unknown is left unpriced, never
// guessed: AWS's pricing pages render most rates in the browser, out of reach of what reads them here.
import fs from 'node:fs';
import published from './aws-prices.json';
import { HOURS_PER_MONTH, type ScalePlan } from './model';

export const RATE_NAMES = [
  'lambdaRequestsPerMillion',
  'lambdaX86GbSecond',
  'lambdaArmGbSecond',
  'eventPollerUnitHour',
  'keyspacesWriteRequestUnitsPerMillion',
  'keyspacesWriteCapacityUnitHour',
] as const;
export type RateName = (typeof RATE_NAMES)[number];

/** US dollars per unit; null when no readable page gave the rate. */
export type Rates = Record<RateName, number | null>;

export const PUBLISHED_RATES: Rates = Object.fromEntries(RATE_NAMES.map((name) => [name, published[name].value])) as Rates;
export const PUBLISHED_RATES_FROM = `bench/scaling/aws-prices.json (${published.region}, read ${published.readOn})`;

/** A rates file that cannot be used: what is wrong with it, and what it should hold. */
export class RatesFileError extends Error {
  override readonly name = 'RatesFileError';
}

/** The published rates with those of a user's file over them: a JSON object of rate names to dollars. */
export function ratesFrom(file: string | undefined, base: Rates = PUBLISHED_RATES): Rates {
  if (file === undefined) return base;
  let given: unknown;
  try {
    given = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RatesFileError(
      `could not read ${file} as JSON (${(error as Error).message.split('\n')[0]}): give an object of rate names (those of bench/scaling/aws-prices.json) to US dollars`,
    );
  }
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new RatesFileError(`${file} must hold a JSON object of rate names to dollars`);
  const problems: string[] = [];
  const rates = { ...base };
  for (const [name, value] of Object.entries(given)) {
    if (!(RATE_NAMES as readonly string[]).includes(name)) problems.push(`"${name}" is no rate the model uses (it uses ${RATE_NAMES.join(', ')})`);
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      problems.push(`"${name}" must be a number of dollars, 0 or more, got ${JSON.stringify(value)}`);
    else rates[name as RateName] = value;
  }
  if (problems.length > 0) throw new RatesFileError(`${file}: ${problems.join('; ')}`);
  return rates;
}

/** Dollars a month (`upperBound` when priced at a rate known to be higher), or the rate it lacks. */
export type Cost = { dollars: number; upperBound?: true } | { unpriced: RateName };

export interface MonthlyCosts {
  /** writeUsers' and produceUsers' requests. */
  lambdaRequests: Cost;
  /** writeUsers' duration on arm64, or at most its duration at the x86 rate when only that is known. */
  writerDuration: Cost;
  provisionedPollers: Cost;
  keyspacesOnDemand: Cost;
  keyspacesProvisioned: Cost;
}

const priced = (rate: number | null, name: RateName, units: number): Cost => (rate === null ? { unpriced: name } : { dollars: rate * units });

export function monthlyCosts(p: ScalePlan, rates: Rates): MonthlyCosts {
  const requests = p.invocationsPerMonth + p.producerRunsPerMinute * 60 * HOURS_PER_MONTH;
  // Arm is billed below x86 in every region: the x86 rate bounds the duration when Arm's is unknown.
  const writerDuration: Cost =
    rates.lambdaArmGbSecond !== null
      ? { dollars: rates.lambdaArmGbSecond * p.gbSecondsPerMonth }
      : rates.lambdaX86GbSecond !== null
        ? { dollars: rates.lambdaX86GbSecond * p.gbSecondsPerMonth, upperBound: true }
        : { unpriced: 'lambdaArmGbSecond' };
  return {
    lambdaRequests: priced(rates.lambdaRequestsPerMillion, 'lambdaRequestsPerMillion', requests / 1e6),
    writerDuration,
    provisionedPollers: priced(rates.eventPollerUnitHour, 'eventPollerUnitHour', p.pollers * HOURS_PER_MONTH),
    keyspacesOnDemand: priced(rates.keyspacesWriteRequestUnitsPerMillion, 'keyspacesWriteRequestUnitsPerMillion', p.writeRequestUnitsPerMonth / 1e6),
    keyspacesProvisioned: priced(rates.keyspacesWriteCapacityUnitHour, 'keyspacesWriteCapacityUnitHour', p.writeCapacityUnits * HOURS_PER_MONTH),
  };
}
