// Cold start: each function as `sls package` builds it for an AWS stage (example-msk): its zip and
// handler.js sizes, and its module initialisation time (median of 20) as the nodejs24.x runtime loads
// it: unzipped outside the repository, a fresh Node 24 with nothing on NODE_PATH, the template's
// environment (infra/local/tools/bare-lambda.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../infra/local/stack/stack-settings';
import { runBare, unpackFunction, type PackagedFunction } from '../infra/local/tools/bare-lambda';
import { SIZES } from './sizes';
import { median } from './stats';

export interface ColdStart {
  zipBytes: number;
  handlerBytes: number;
  initMs: number;
}

export const FUNCTIONS = ['produceUsers', 'writeUsers'] as const;
type FunctionKey = (typeof FUNCTIONS)[number];
const INIT_RUNS = SIZES.coldStartLoads;

export interface Packaged {
  functions: Record<FunctionKey, PackagedFunction>;
  handlerOf(fn: FunctionKey): string;
}

export function packageFunctions(): Packaged {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-package-'));
  execFileSync(path.join(projectRoot, 'node_modules', '.bin', 'sls'), ['package', '--stage', 'example-msk', '--package', dir], {
    cwd: projectRoot,
    stdio: 'ignore',
  });
  const functions = Object.fromEntries(FUNCTIONS.map((fn) => [fn, unpackFunction(dir, fn)])) as Record<FunctionKey, PackagedFunction>;
  return { functions, handlerOf: (fn) => functions[fn].handlerFile };
}

export async function coldStart(packaged: Packaged): Promise<Record<FunctionKey, ColdStart>> {
  const figures = {} as Record<FunctionKey, ColdStart>;
  for (const fn of FUNCTIONS) {
    const packagedFn = packaged.functions[fn];
    const times: number[] = [];
    for (let i = 0; i < INIT_RUNS; i++) times.push((await runBare(packagedFn)).initMs);
    figures[fn] = { zipBytes: packagedFn.zipBytes, handlerBytes: fs.statSync(packagedFn.handlerFile).size, initMs: Math.round(median(times) * 10) / 10 };
  }
  return figures;
}
