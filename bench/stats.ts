// Figures from repeated measurements: medians and spreads, never a single run. These machines are
// noisy, so every figure is reported beside a baseline measured in the same rounds.

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** The value below which `p` percent of the values fall (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * Runs the candidate and the baseline alternately (A B, B A, …) after warm-ups of each, so that a
 * slow moment of the machine falls on both; returns each one's times and the per-round ratios of
 * candidate speed to baseline speed.
 */
export async function interleaved(rounds: number, candidate: () => Promise<unknown>, baseline: () => Promise<unknown>, warmUps = 3) {
  // Several warm-ups: the first runs of a path are slow while the JIT, the driver's prepared
  // statements and Cassandra's memtables settle, and one warm-up left the ratio swinging ×0.6–×1.5.
  for (let i = 0; i < warmUps; i++) {
    await baseline();
    await candidate();
  }
  const candidateMs: number[] = [];
  const baselineMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      candidateMs.push(await timeMs(candidate));
      baselineMs.push(await timeMs(baseline));
    } else {
      baselineMs.push(await timeMs(baseline));
      candidateMs.push(await timeMs(candidate));
    }
  }
  const ratios = candidateMs.map((ms, i) => baselineMs[i] / ms);
  return { candidateMs, baselineMs, ratio: spread(ratios) };
}

export const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
