// The writer's peak resident memory on one batch of 10,000 records: the packaged writeUsers handler
// (what deploys), loaded in a fresh Node process and invoked once, its RSS sampled every 5 ms.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../infra/local/stack/stack-settings';
import { benchUsers, eventOf } from './bench-users';

const PROBE = `
const { performance } = require('node:perf_hooks');
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
const event = JSON.parse(require('node:fs').readFileSync(process.env.BENCH_EVENT, 'utf8'));
const { handler, closeConnections } = require(process.env.BENCH_HANDLER);
const context = { functionName: 'writeUsers', awsRequestId: 'bench', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:writeUsers', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 60000 };
handler(event, context).then(async (response) => {
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sampler);
  const failed = response.batchItemFailures.length;
  await (closeConnections ? closeConnections() : undefined);
  process.stderr.write('BENCH ' + JSON.stringify({ peakRssMb: Math.round(peak / 1048576), failed }) + '\\n');
  process.exit(0);
}, (error) => { process.stderr.write('BENCH-ERROR ' + error.message + '\\n'); process.exit(1); });
`;

export function writerPeakRssMb(handlerJs: string, env: Record<string, string>): { peakRssMb: number } {
  const users = benchUsers(10_000);
  const eventFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-event-')), 'event.json');
  fs.writeFileSync(eventFile, JSON.stringify(eventOf(users)));
  const result = spawnSync(process.execPath, ['-e', PROBE], {
    env: {
      ...process.env,
      ...env,
      BENCH_EVENT: eventFile,
      BENCH_HANDLER: handlerJs,
      NODE_PATH: path.join(projectRoot, 'node_modules'),
      POWERTOOLS_LOG_LEVEL: 'WARN',
    },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = result.stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`the memory probe failed:\n${result.stderr.slice(-2000)}`);
  const { peakRssMb, failed } = JSON.parse(line.slice('BENCH '.length)) as { peakRssMb: number; failed: number };
  if (failed > 0) throw new Error(`the memory probe's batch had ${failed} failed rows`);
  return { peakRssMb };
}
