// Installs the pinned Python tools (infra/local/tools/requirements.txt: cfn-lint, moto's server) into a
// virtual environment under .local/python, once per change of that file. `npm run tools` runs it;
// the deployment tests run it before they start, so a clean clone needs nothing installed by hand.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../stack/stack-settings';
import { StackError } from '../stack/stack-error';

export const REQUIREMENTS = path.join(projectRoot, 'infra', 'local', 'tools', 'requirements.txt');
export const PYTHON_DIR = path.join(projectRoot, '.local', 'python');
export const pythonTool = (name: 'cfn-lint' | 'moto_server') => path.join(PYTHON_DIR, 'bin', name);

/**
 * A virtual environment at `dir` with the pinned packages of `requirements`, installed once per change
 * of that file; `ready` says whether what the caller runs from it is there.
 */
export function ensurePythonEnvironment(requirements: string, dir: string, ready: () => boolean, log: (line: string) => void = () => undefined): void {
  const marker = path.join(dir, '.requirements-sha256');
  const wanted = createHash('sha256').update(fs.readFileSync(requirements)).digest('hex');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted && ready()) return;
  const python = process.env.PYTHON ?? 'python3';
  log(`installing ${path.relative(projectRoot, requirements)} into ${path.relative(projectRoot, dir)} (first run only)…`);
  try {
    execFileSync(python, ['-m', 'venv', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync(path.join(dir, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '')
      .trim()
      .split('\n')
      .slice(-5)
      .join('\n');
    throw new StackError(
      `Could not install the Python packages of ${requirements} with ${python} (${(error as Error).message.split('\n')[0]}).\n${stderr}\nInstall Python 3.9 or newer with venv and pip (or set PYTHON to one), then run the command again.`,
    );
  }
  fs.writeFileSync(marker, wanted);
}

export function ensurePythonTools(log: (line: string) => void = () => undefined): void {
  ensurePythonEnvironment(REQUIREMENTS, PYTHON_DIR, () => fs.existsSync(pythonTool('cfn-lint')), log);
}

if (require.main === module) {
  try {
    ensurePythonTools((line) => process.stderr.write(`[tools] ${line}\n`));
    process.stderr.write(`[tools] ready: ${pythonTool('cfn-lint')}, ${pythonTool('moto_server')}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
