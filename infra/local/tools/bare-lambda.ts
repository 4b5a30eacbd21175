// Runs a packaged function the way the nodejs24.x runtime does: its zip unzipped into a directory
// outside the repository, loaded by a fresh Node 24 process with nothing on NODE_PATH (so only what the
// zip carries and Node's built-ins can load), under the environment the template gives the function.
// Records every module it asks Node for that is not inside the bundle, the initialisation time, and,
// given an event, the handler's result or error.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureLambdaNode } from './lambda-node';

export interface PackagedFunction {
  /** The unzipped directory: the runtime's /var/task. */
  taskRoot: string;
  /** handler.js inside it. */
  handlerFile: string;
  zipBytes: number;
  environment: Record<string, string>;
}

export interface BareRun {
  handlerType: string;
  initMs: number;
  /** Modules outside the bundle it asked for while loading, and whether Node found them. */
  externalsAtInit: Array<{ request: string; found: boolean }>;
  externalsAtInvoke: Array<{ request: string; found: boolean }>;
  result?: unknown;
  error?: { name: string; message: string; code?: string };
}

interface Template {
  Resources: Record<string, { Type: string; Properties: { Handler?: string; Environment?: { Variables: Record<string, string> } } }>;
}

/** Unzips `<packageDir>/<fn>.zip` into a fresh directory under the system's temporary folder. */
export function unpackFunction(packageDir: string, fn: string): PackagedFunction {
  const template = JSON.parse(fs.readFileSync(path.join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  const resource = template.Resources[`${fn[0].toUpperCase()}${fn.slice(1)}LambdaFunction`];
  const taskRoot = fs.mkdtempSync(path.join(os.tmpdir(), `lambda-task-${fn}-`));
  const zip = path.join(packageDir, `${fn}.zip`);
  execFileSync('unzip', ['-q', '-o', zip, '-d', taskRoot]);
  // The handler "functions/write-users/handler.handler" is handler.js's export `handler`.
  const handlerFile = path.join(taskRoot, `${resource.Properties.Handler!.replace(/\.[^.]+$/, '')}.js`);
  if (!fs.existsSync(handlerFile)) throw new Error(`${fn}.zip has no ${path.relative(taskRoot, handlerFile)}`);
  return { taskRoot, handlerFile, zipBytes: fs.statSync(zip).size, environment: resource.Properties.Environment?.Variables ?? {} };
}

const PROBE = String.raw`
const Module = require('node:module');
const path = require('node:path');
const [handlerFile, eventJson] = process.argv.slice(1);
let externals = [];
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const outside = !Module.isBuiltin(request) && !request.startsWith('.') && !path.isAbsolute(request);
  try {
    const loaded = load.apply(this, arguments);
    if (outside) externals.push({ request, found: true });
    return loaded;
  } catch (error) {
    if (outside) externals.push({ request, found: false });
    throw error;
  }
};
(async () => {
  const started = process.hrtime.bigint();
  const mod = require(handlerFile);
  const out = { handlerType: typeof mod.handler, initMs: Number(process.hrtime.bigint() - started) / 1e6, externalsAtInit: externals };
  externals = [];
  if (eventJson) {
    const context = { awsRequestId: 'bare-runtime', functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, getRemainingTimeInMillis: () => 30000 };
    try {
      out.result = await mod.handler(JSON.parse(eventJson), context);
    } catch (error) {
      out.error = { name: error.name, message: String(error.message), code: error.code };
    }
    await Promise.resolve(mod.closeConnections && mod.closeConnections()).catch(() => undefined);
  }
  out.externalsAtInvoke = externals;
  process.stdout.write('\n@@BARE-RUN@@' + JSON.stringify(out) + '\n');
  process.exit(0);
})().catch((error) => {
  process.stdout.write('\n@@BARE-RUN@@' + JSON.stringify({ loadError: { name: error.name, message: String(error.message), code: error.code } }) + '\n');
  process.exit(1);
});
`;

/** Loads the handler (and invokes it with `event`, if given) in a bare Node 24 process. */
export function runBare(fn: PackagedFunction, options: { event?: unknown; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<BareRun> {
  const node = ensureLambdaNode();
  const env: Record<string, string> = {
    // What the runtime sets (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
    // with NODE_PATH left empty: only the zip and Node's built-ins can be loaded.
    PATH: '/usr/bin:/bin',
    LAMBDA_TASK_ROOT: fn.taskRoot,
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: path.basename(fn.taskRoot),
    NODE_PATH: '',
    ...fn.environment,
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['-e', PROBE, fn.handlerFile, options.event === undefined ? '' : JSON.stringify(options.event)], {
      cwd: fn.taskRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('exit', () => {
      clearTimeout(timer);
      const line = output.split('\n').find((l) => l.startsWith('@@BARE-RUN@@'));
      if (!line) return reject(new Error(`${fn.handlerFile} did not finish in a bare Node 24:\n${output.slice(-3000)}`));
      const run = JSON.parse(line.slice('@@BARE-RUN@@'.length)) as BareRun & { loadError?: BareRun['error'] };
      if (run.loadError)
        return reject(new Error(`loading ${fn.handlerFile} in a bare Node 24 failed: ${run.loadError.name}: ${run.loadError.message}\n${output.slice(-2000)}`));
      resolve(run);
    });
  });
}
