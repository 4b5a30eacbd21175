// Cold start: each function as `sls package` builds it for an AWS stage (example-msk), its zip and
// handler.js sizes, and its module initialisation time in a fresh Node process (median of 20), with the
// runtime's AWS SDK v3 resolvable as in Lambda and the environment the template gives the function.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../infra/local/stack-settings';
import { median } from './stats';

export interface ColdStart {
  zipBytes: number;
  handlerBytes: number;
  initMs: number;
}

export const FUNCTIONS = { produceUsers: 'produce-users', writeUsers: 'write-users' } as const;
const INIT_RUNS = 20;

export interface Packaged {
  dir: string;
  handlerOf(fn: keyof typeof FUNCTIONS): string;
  environmentOf(fn: keyof typeof FUNCTIONS): Record<string, string>;
}

export function packageFunctions(): Packaged {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-package-'));
  execFileSync(path.join(projectRoot, 'node_modules', '.bin', 'sls'), ['package', '--stage', 'example-msk', '--package', dir], { cwd: projectRoot, stdio: 'ignore' });
  const template = JSON.parse(fs.readFileSync(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as {
    Resources: Record<string, { Properties: { Environment?: { Variables: Record<string, string> } } }>;
  };
  for (const [fn, folder] of Object.entries(FUNCTIONS)) {
    execFileSync('unzip', ['-q', '-o', path.join(dir, `${fn}.zip`), '-d', path.join(dir, fn)]);
    if (!fs.existsSync(path.join(dir, fn, 'functions', folder, 'handler.js'))) throw new Error(`no handler.js in ${fn}.zip`);
  }
  return {
    dir,
    handlerOf: (fn) => path.join(dir, fn, 'functions', FUNCTIONS[fn], 'handler.js'),
    environmentOf: (fn) => template.Resources[`${fn[0].toUpperCase()}${fn.slice(1)}LambdaFunction`].Properties.Environment?.Variables ?? {},
  };
}

function initMs(handlerJs: string, env: Record<string, string>): number {
  const probe = `const t = process.hrtime.bigint(); require(${JSON.stringify(handlerJs)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  const result = spawnSync(process.execPath, ['-e', probe], {
    env: { PATH: process.env.PATH, ...env, AWS_REGION: 'us-east-1', NODE_PATH: path.join(projectRoot, 'node_modules') },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`loading ${handlerJs} failed:\n${result.stderr.slice(-1500)}`);
  return Number(result.stdout);
}

export function coldStart(packaged: Packaged): Record<keyof typeof FUNCTIONS, ColdStart> {
  const figures = {} as Record<keyof typeof FUNCTIONS, ColdStart>;
  for (const fn of Object.keys(FUNCTIONS) as Array<keyof typeof FUNCTIONS>) {
    const handler = packaged.handlerOf(fn);
    const env = packaged.environmentOf(fn);
    const times = Array.from({ length: INIT_RUNS }, () => initMs(handler, env));
    figures[fn] = { zipBytes: fs.statSync(path.join(packaged.dir, `${fn}.zip`)).size, handlerBytes: fs.statSync(handler).size, initMs: Math.round(median(times) * 10) / 10 };
  }
  return figures;
}
