import { execFileSync } from 'node:child_process';
import path from 'node:path';

// CI runs on a clean clone: a fixture that .gitignore keeps out (a recorded `*.log`, say) passes every
// test on the machine that recorded it and fails CI. This catches it on that machine, before it lands.
const root = path.resolve(__dirname, '..', '..', '..');

function ignoredFiles(pathspec: string): string[] {
  const args = ['ls-files', '--others', '--ignored', '--exclude-standard', '--', pathspec];
  // Installed packages and the native stack's data are ignored on purpose and have fixtures of their own.
  if (!pathspec.includes('node_modules')) args.push(':(exclude)node_modules', ':(exclude).local', ':(exclude).stryker-tmp');
  const out = execFileSync('git', args, {
    cwd: root,
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean);
}

const inGitCheckout = (() => {
  try {
    execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

(inGitCheckout ? describe : describe.skip)('files the tests read', () => {
  it.each([':(glob)**/fixtures/**', ':(glob)events/**', ':(glob)test/support/**'])('are never kept out of the repository by .gitignore (%s)', (pathspec) => {
    expect(ignoredFiles(pathspec)).toEqual([]);
  });

  it('would name a fixture that .gitignore keeps out', () => {
    // The check itself must be able to fail: a path under node_modules is ignored by the same rules.
    expect(ignoredFiles(':(glob)node_modules/kafkajs/package.json')).toEqual(['node_modules/kafkajs/package.json']);
  });
});
