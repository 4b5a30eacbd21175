// How much each section of `npm run bench` measures. The full size gives the figures quoted in
// docs/benchmarks.md; BENCH_SIZE=small runs every section once on a few thousand records, so CI can
// prove each section still runs and produces its figures (whose values then mean nothing).
export interface BenchSizes {
  name: 'full' | 'small';
  /** Rounds of each alternated comparison (the writer runs eight times as many). */
  rounds: number;
  writerBatches: readonly number[];
  /** Cassandra's warm-up: at least this many rounds of 10,000 rows, at most `warmUpMaxRounds`. */
  warmUpMinRounds: number;
  warmUpMaxRounds: number;
  producerRecords: number;
  coldStartLoads: number;
  drainRecords: number;
  steadyRatePerSec: number;
  steadySeconds: number;
  stepRates: readonly number[];
  stepSeconds: number;
}

const FULL: BenchSizes = {
  name: 'full',
  rounds: 5,
  writerBatches: [100, 1000, 10_000],
  warmUpMinRounds: 20,
  warmUpMaxRounds: 40,
  producerRecords: 5000,
  coldStartLoads: 20,
  drainRecords: 50_000,
  steadyRatePerSec: 1000,
  steadySeconds: 60,
  stepRates: [1000, 2000, 4000, 8000, 16_000],
  stepSeconds: 15,
};

const SMALL: BenchSizes = {
  name: 'small',
  rounds: 1,
  writerBatches: [100, 1000, 10_000],
  warmUpMinRounds: 2,
  warmUpMaxRounds: 3,
  producerRecords: 2000,
  coldStartLoads: 3,
  drainRecords: 3000,
  steadyRatePerSec: 500,
  steadySeconds: 4,
  stepRates: [1000, 2000],
  stepSeconds: 3,
};

/** The sizes of this run: BENCH_SIZE picks full (default) or small; BENCH_ROUNDS, BENCH_DRAIN_RECORDS and BENCH_STEADY_SECONDS override one each. */
export function benchSizes(env: Record<string, string | undefined>): BenchSizes {
  const size = env.BENCH_SIZE?.trim() || 'full';
  if (size !== 'full' && size !== 'small')
    throw new Error(`BENCH_SIZE is "${size}"; it takes full (the default) or small (every section once, on a few thousand records).`);
  const base = size === 'small' ? SMALL : FULL;
  const positive = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} is "${raw}"; it takes a whole number of at least 1.`);
    return value;
  };
  return {
    ...base,
    rounds: positive('BENCH_ROUNDS', base.rounds),
    drainRecords: positive('BENCH_DRAIN_RECORDS', base.drainRecords),
    steadySeconds: positive('BENCH_STEADY_SECONDS', base.steadySeconds),
  };
}

export const SIZES = benchSizes(process.env);
