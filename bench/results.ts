// What one `npm run bench` produced, in the shape bench/results/latest.json keeps, and the check that
// every section produced every figure: CI runs each section small and fails on a figure missing,
// never on its value.
import type { ColdStart } from './cold-start';
import type { DrainFigures, EndToEndFigures } from './end-to-end';
import type { ProducerFigures } from './producer';
import type { SparkFigures } from './spark-drain';
import type { Spread } from './stats';
import type { WriterFigures } from './writer';

export interface Measured {
  coldStart?: Record<string, ColdStart>;
  writer?: WriterFigures[];
  memory?: { peakRssMb: number };
  producer?: ProducerFigures;
  drain?: DrainFigures & RegistryCost & { drainRatio: number; drainBaselinePerSec: number };
  endToEnd?: EndToEndFigures & RegistryCost & { drainRatio: number; drainBaselinePerSec: number };
  spark?: SparkFigures;
}

/** The same drain through a mapping without the schema registry, and the registry's share of the drain's rate. */
export interface RegistryCost {
  drainWithoutRegistryPerSec: number;
  /** drainPerSec over drainWithoutRegistryPerSec: 1 is free, 0.8 costs a fifth of the rate. */
  registryDrainRatio: number;
}

export interface BenchResults {
  at: string;
  commit: string;
  size: 'full' | 'small';
  machine: Record<string, string | number | undefined>;
  rounds: number;
  writer: { handlerPerSec: number; rawDriverPerSec: number; ratio: number; ratioSpread: Spread; batches: WriterFigures[] };
  producer: Omit<ProducerFigures, 'ratio' | 'kafkajsRatio' | 'publishPathRatio'> & {
    ratio: number;
    ratioSpread: Spread;
    kafkajsRatio: number;
    kafkajsRatioSpread: Spread;
    publishPathRatio: number;
    publishPathRatioSpread: Spread;
  };
  endToEnd: EndToEndFigures & Partial<RegistryCost> & { drainRatio: number; drainBaselinePerSec: number };
  coldStart: Record<string, ColdStart>;
  memory: { writer10kPeakRssMb: number };
  /**
   * The seed's Spark job on a backlog like the drain's: ratio is the pipeline's drain over Spark's, and
   * warmRatio the drain after its first commit over Spark's batches' writing alone.
   */
  spark: SparkFigures & { ratio: number; warmRatio: number };
}

/**
 * A drain against its raw-driver baseline: the mean of the inserts before and after it (results from
 * before the inserts after it was measured have the one before only), and the ratio over that mean,
 * with its range over each side alone.
 */
export function drainAgainstRaw(drain: { drainPerSec: number; drainRawPerSec: number; drainRawAfterPerSec?: number }): {
  baselinePerSec: number;
  ratio: Spread;
} {
  const raw = drain.drainRawAfterPerSec === undefined ? [drain.drainRawPerSec] : [drain.drainRawPerSec, drain.drainRawAfterPerSec];
  const baselinePerSec = raw.reduce((sum, rate) => sum + rate, 0) / raw.length;
  return {
    baselinePerSec,
    ratio: { median: drain.drainPerSec / baselinePerSec, min: drain.drainPerSec / Math.max(...raw), max: drain.drainPerSec / Math.min(...raw) },
  };
}

/** The results of a run that measured every section; the sections it lacks are named. */
export function toResults(measured: Measured, meta: Pick<BenchResults, 'at' | 'commit' | 'size' | 'machine' | 'rounds'>): BenchResults {
  const { writer, producer, endToEnd, coldStart, memory, spark } = measured;
  const lacking = Object.entries({ writer, producer, endToEnd, coldStart, memory, spark })
    .filter(([, figures]) => figures === undefined)
    .map(([section]) => section);
  if (lacking.length > 0 || !writer || !producer || !endToEnd || !coldStart || !memory || !spark) throw new Error(`the run measured no ${lacking.join(', ')}`);
  const largest = writer.reduce((a, b) => (b.records > a.records ? b : a));
  return {
    ...meta,
    writer: {
      handlerPerSec: largest.handlerPerSec,
      rawDriverPerSec: largest.rawDriverPerSec,
      ratio: largest.ratio.median,
      ratioSpread: largest.ratio,
      batches: writer,
    },
    producer: {
      ...producer,
      ratio: producer.ratio.median,
      ratioSpread: producer.ratio,
      kafkajsRatio: producer.kafkajsRatio.median,
      kafkajsRatioSpread: producer.kafkajsRatio,
      publishPathRatio: producer.publishPathRatio.median,
      publishPathRatioSpread: producer.publishPathRatio,
    },
    endToEnd,
    coldStart,
    memory: { writer10kPeakRssMb: memory.peakRssMb },
    spark: {
      ...spark,
      ratio: Math.round((endToEnd.drainPerSec / spark.drainPerSec) * 100) / 100,
      warmRatio: Math.round((endToEnd.drainWarmPerSec / spark.writePerSec) * 100) / 100,
    },
  };
}

/** The figures each section must produce, as paths into the results. */
export const REQUIRED_FIGURES = [
  'writer.handlerPerSec',
  'writer.rawDriverPerSec',
  'writer.ratio',
  'writer.batches.0.nodeMicrosPerRow.handler',
  'producer.handlerPerSec',
  'producer.kafkaPerfTestPerSec',
  'producer.kafkajsPerSec',
  'producer.ratio',
  'producer.kafkajsRatio',
  'producer.publishPathPerSec',
  'producer.publishPathRatio',
  'endToEnd.drainPerSec',
  'endToEnd.drainRatio',
  'endToEnd.drainBaselinePerSec',
  'endToEnd.drainRawPerSec',
  'endToEnd.drainRawAfterPerSec',
  'endToEnd.drainWarmPerSec',
  'endToEnd.drainCores.total',
  'endToEnd.drainOfflineMicrosPerRow.main',
  'endToEnd.drainOfflineMicrosPerRow.functions',
  'endToEnd.drainOfflineMicrosPerRow.helpers',
  'endToEnd.drainWithoutRegistryPerSec',
  'endToEnd.registryDrainRatio',
  'endToEnd.p50Ms',
  'endToEnd.p99Ms',
  'endToEnd.maxSustainedPerSec',
  'endToEnd.steps.0.lagAtEnd',
  'coldStart.produceUsers.initMs',
  'coldStart.produceUsers.zipBytes',
  'coldStart.writeUsers.initMs',
  'coldStart.writeUsers.zipBytes',
  'memory.writer10kPeakRssMb',
  'spark.drainPerSec',
  'spark.writePerSec',
  'spark.startSeconds',
  'spark.ratio',
  'spark.warmRatio',
] as const;

/** The required figures that are absent or not a finite number. */
export function missingFigures(results: unknown): string[] {
  return REQUIRED_FIGURES.filter((figure) => {
    const value = figure
      .split('.')
      .reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), results);
    return typeof value !== 'number' || !Number.isFinite(value);
  });
}
