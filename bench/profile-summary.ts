// `npm run bench:profile -- <dir> [rows]`: where the CPU went, from the V8 profiles that
// BENCH_PROFILE_DIR=<dir> npm run bench wrote of sls offline (its main thread, where the emulator runs,
// and writeUsers' worker thread). Self time is grouped by package: node_modules/<package>, Node's own
// modules, the project's directories, and V8's garbage collector. writeUsers runs from its esbuild
// bundle, which the benchmark builds unminified when profiling, so the bundle's "// node_modules/…"
// markers say which package each line came from. With [rows], each group is also given per row.
import fs from 'node:fs';
import path from 'node:path';
import { jvmSamples } from './jvm-profile';

/** JFR's `profile` settings sample each thread running Java code every 10 ms. */
const JFR_SAMPLE_MS = 10;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** For a bundle, the start line of each module esbuild marked, so a line maps to its package. */
const bundleModules = new Map<string, Array<{ line: number; module: string }>>();
function modulesOf(file: string): Array<{ line: number; module: string }> {
  let modules = bundleModules.get(file);
  if (!modules) {
    modules = [];
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    text.split('\n').forEach((line, index) => {
      const marker = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(line);
      if (marker) modules!.push({ line: index, module: marker[1] });
    });
    bundleModules.set(file, modules);
  }
  return modules;
}

export function packageOf(modulePath: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(modulePath);
  if (inModules) return inModules[1];
  const inProject = /(infra\/local\/[^/]+|functions\/[^/]+|infra\/[^/]+|contract|bench)\//.exec(modulePath);
  return inProject ? inProject[1] : modulePath;
}

function groupOf({ functionName, url, lineNumber }: ProfileNode['callFrame']): string {
  if (url === '') return functionName.startsWith('(') ? functionName : `native ${functionName || '(anonymous)'}`;
  if (url.startsWith('node:')) return 'node: built-in modules';
  const file = url.replace(/^file:\/\//, '');
  if (/\.esbuild\/|\.build\//.test(file)) {
    const modules = modulesOf(file);
    let module = file;
    for (const entry of modules) {
      if (entry.line > lineNumber) break;
      module = entry.module;
    }
    return packageOf(module);
  }
  return packageOf(file);
}

export function summarise(profile: CpuProfile): { totalMs: number; groups: Array<[string, number]> } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const groups = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const ms = profile.timeDeltas[index] / 1000;
    const group = groupOf(byId.get(id)!.callFrame);
    groups.set(group, (groups.get(group) ?? 0) + ms);
    total += ms;
  });
  return { totalMs: total, groups: [...groups].sort((a, b) => b[1] - a[1]) };
}

async function main(): Promise<void> {
  const [dir, rowsArg] = process.argv.slice(2);
  if (!dir) throw new Error('usage: npm run bench:profile -- <dir written by BENCH_PROFILE_DIR> [rows handled]');
  const rows = rowsArg ? Number(rowsArg) : undefined;
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort();
  const recordings = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.jfr'))
    .sort();
  if (files.length + recordings.length === 0) throw new Error(`no .cpuprofile or .jfr in ${dir}: run BENCH_PROFILE_DIR=${dir} npm run bench first`);
  // Cassandra's recordings (cassandra-raw-*.jfr, cassandra-drain-*.jfr): its Java threads by pool.
  for (const name of recordings) {
    const { pools, total } = await jvmSamples(path.join(dir, name));
    console.log(`\n${name}: Cassandra, ${total} samples of Java code (${((total * JFR_SAMPLE_MS) / 1000).toFixed(1)} s of thread time)`);
    for (const [pool, count] of pools.slice(0, 12)) {
      const perRow = rows ? `  ${((count * JFR_SAMPLE_MS * 1000) / rows).toFixed(1)} µs/row` : '';
      console.log(`  ${pool.padEnd(40)} ${String(count).padStart(7)}  ${((count / total) * 100).toFixed(1).padStart(5)} %${perRow}`);
    }
  }
  for (const name of files) {
    const { totalMs, groups } = summarise(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as CpuProfile);
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread.
    const thread = name.split('.')[4] === '0' ? 'main thread (emulator, serverless-offline)' : 'worker thread (a function: writeUsers, in the drain)';
    const idle = groups.find(([group]) => group === '(idle)')?.[1] ?? 0;
    console.log(`\n${name}: ${thread}, ${(totalMs / 1000).toFixed(1)} s sampled, ${((totalMs - idle) / 1000).toFixed(1)} s busy`);
    for (const [group, ms] of groups.filter(([group]) => group !== '(idle)').slice(0, 15)) {
      const perRow = rows ? `  ${((ms * 1000) / rows).toFixed(1)} µs/row` : '';
      console.log(`  ${group.padEnd(40)} ${ms.toFixed(0).padStart(7)} ms  ${((ms / (totalMs - idle)) * 100).toFixed(1).padStart(5)} %${perRow}`);
    }
  }
}

if (require.main === module) void main();
