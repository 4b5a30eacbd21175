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

function requirementsHash(): string {
  return createHash('sha256').update(fs.readFileSync(REQUIREMENTS)).digest('hex');
}

export function ensurePythonTools(log: (line: string) => void = () => undefined): void {
  const marker = path.join(PYTHON_DIR, '.requirements-sha256');
  const wanted = requirementsHash();
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted && fs.existsSync(pythonTool('cfn-lint'))) return;
  const python = process.env.PYTHON ?? 'python3';
  log(`installing ${path.relative(projectRoot, REQUIREMENTS)} into ${path.relative(projectRoot, PYTHON_DIR)} (first run only)…`);
  try {
    execFileSync(python, ['-m', 'venv', PYTHON_DIR], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync(path.join(PYTHON_DIR, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '')
      .trim()
      .split('\n')
      .slice(-5)
      .join('\n');
    throw new StackError(
      `Could not install the Python tools of ${REQUIREMENTS} with ${python} (${(error as Error).message.split('\n')[0]}).\n${stderr}\nInstall Python 3.9 or newer with venv and pip (or set PYTHON to one), then run npm run tools.`,
    );
  }
  fs.writeFileSync(marker, wanted);
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
