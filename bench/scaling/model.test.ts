import fs from 'node:fs';
import path from 'node:path';
import type { BenchResults } from '../results';
import limits from './aws-limits.json';
import { EXAMPLE_INPUTS } from './example-inputs';
import { plan } from './model';
import { SCALING_END, SCALING_START, scalingSection, withScaling } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const inputs = EXAMPLE_INPUTS;

describe('the scaling model', () => {
  it('keeps the deployed partitions and one poller for a light load, each partition invoked once a window', () => {
    const light = plan(1000, inputs);
    expect(light).toMatchObject({ partitions: 3, lambdaConcurrency: 3, pollers: 1, producerRunsPerMinute: 1, apiRequestsPerMinute: 1, limitsMet: [] });
    // 16.7 records a second over three partitions: six invocations a second of under three records.
    expect(light.invocationsPerMonth).toBeCloseTo(6 * 30 * 24 * 3600, -3);
  });

  it('bounds an invocation by its rows in flight over Keyspaces’ latency, not by the local node’s rate', () => {
    const heavy = plan(10_000_000, inputs);
    expect(heavy.rowsPerInvocationPerSec).toBe((32 * 4) / (limits.keyspacesWriteLatencyMs.value / 1000));
    // 166,667 records a second, twice over, at 12,800 a partition.
    expect(heavy.partitions).toBe(Math.ceil((2 * 10_000_000) / 60 / 12_800));
    expect(plan(10_000_000, { ...inputs, writeConcurrency: 320 }).partitions).toBeLessThan(heavy.partitions);
    expect(plan(10_000_000, { ...inputs, rowsPerRequest: 1 }).partitions).toBeGreaterThan(heavy.partitions);
  });

  it('counts Keyspaces’ queries a connection in requests, each carrying rowsPerRequest rows', () => {
    // 166,667 rows a second in requests of four: 41,667 queries, 14 connections of 3,000.
    expect(plan(10_000_000, inputs).keyspacesConnectionsNeeded).toBe(Math.ceil(10_000_000 / 60 / 4 / 3000));
    expect(plan(10_000_000, { ...inputs, rowsPerRequest: 1 }).keyspacesConnectionsNeeded).toBe(Math.ceil(10_000_000 / 60 / 3000));
  });

  it('gives a poller per 5 MB/s or per five concurrent invocations, whichever asks more', () => {
    const heavy = plan(10_000_000, inputs);
    expect(heavy.pollers).toBe(Math.max(Math.ceil(heavy.megabytesPerSecIn / 5), Math.ceil(heavy.lambdaConcurrency / 5)));
    expect(plan(10_000_000, { ...inputs, recordBytes: 40_000 }).pollers).toBe(Math.ceil(((10_000_000 / 60) * 40_000) / 1e6 / 5));
  });

  it('meters one Keyspaces write unit per row up to 1 KB, and more above', () => {
    expect(plan(60_000, inputs).writeCapacityUnits).toBe(1000);
    expect(plan(60_000, { ...inputs, rowBytes: 1500 }).writeCapacityUnits).toBe(2000);
  });

  it('names the first limits a load meets: USERS_PER_RUN past 50,000 a minute, the payload past 6 MB a batch', () => {
    expect(plan(100_000, inputs).limitsMet).toEqual([expect.stringMatching(/^USERS_PER_RUN's 50,000 a run: 2 produceUsers runs a minute/)]);
    expect(plan(1000, { ...inputs, eventRecordBytes: 7000 }).limitsMet).toEqual([expect.stringMatching(/^Lambda's 6 MB payload: a full batch is 7\.0 MB/)]);
  });
});

describe('docs/scaling.md', () => {
  it('shows the model of bench/results/latest.json as npm run scaling writes it', () => {
    const latest = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results', 'latest.json'), 'utf8')) as BenchResults;
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'scaling.md'), 'utf8');
    expect(withScaling(doc, scalingSection(latest, ROOT))).toBe(doc);
  });

  it('refuses a page without its markers', () => {
    expect(() => withScaling('# no markers', `${SCALING_START}\n${SCALING_END}`)).toThrow(/lost its markers/);
  });
});
