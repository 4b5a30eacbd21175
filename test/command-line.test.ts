// Every command a person types answers --help with its usage and exit 0, and an unknown flag with
// what was wrong, the usage and exit 2: run as npm runs them, before any of them touches a service.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCommandLine, type Exit } from '../infra/command-line';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

const COMMANDS: Record<string, { script: string; usage: RegExp }> = {
  'npm start': { script: 'infra/local/dev/start.ts', usage: /^npm start: the whole pipeline/ },
  'npm run status': { script: 'infra/local/dev/status.ts', usage: /^npm run status:/ },
  'npm run stack:up': { script: 'infra/local/stack/cli.ts', usage: /^npm run stack:up \| npm run stack:down:/ },
  'npm run users-api': { script: 'infra/local/users-api/serve.ts', usage: /^npm run users-api/ },
  'npm run dlq': { script: 'infra/local/dlq/cli.ts', usage: /^npm run dlq -- <command>:/ },
  'npm run schema': { script: 'infra/schemas/cli.ts', usage: /^npm run schema -- <command>/ },
  'npm run bench': { script: 'bench/run.ts', usage: /^npm run bench:/ },
  'npm run scaling': { script: 'bench/scaling/cli.ts', usage: /^npm run scaling:/ },
};

const run = (script: string, args: string[]) =>
  spawnSync(TSX, [script, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:1' } });

describe.each(Object.entries(COMMANDS))('%s', (_, { script, usage }) => {
  it('prints its usage for --help and exits 0', () => {
    const result = run(script, ['--help']);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(usage);
  });

  it('names an unknown flag, prints its usage and exits 2', () => {
    const result = run(script, ['--no-such-flag']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("'--no-such-flag'");
    expect(result.stderr.split('\n\n')[1]).toMatch(usage);
  });
});

describe('readCommandLine', () => {
  const io = () => {
    const said = { out: '', err: '', code: undefined as number | undefined };
    const exit = ((code: number) => {
      said.code = code;
      throw new Error(`exit ${code}`);
    }) as Exit;
    return { said, io: { out: (t: string) => void (said.out += t), err: (t: string) => void (said.err += t), exit } };
  };

  it('returns the flags and words it was given', () => {
    const { io: sink } = io();
    expect(readCommandLine({ usage: 'u', maxPositionals: 1, options: { reveal: { type: 'boolean' } } }, ['show', '--reveal'], sink)).toMatchObject({
      positionals: ['show'],
      values: { reveal: true },
    });
  });

  it('refuses a word past those it takes, and a flag without its value, with exit 2', () => {
    for (const argv of [['extra'], ['--since']]) {
      const { said, io: sink } = io();
      expect(() => readCommandLine({ usage: 'the usage', options: { since: { type: 'string' } } }, argv, sink)).toThrow('exit 2');
      expect(said.err).toMatch(/\n\nthe usage\n$/);
    }
  });
});

describe('npm start with KAFKA_AUTH=scram', () => {
  it('refuses a stack without a SCRAM listener at once, before it starts or touches anything, and says what to set', () => {
    const env = { ...process.env, KAFKA_AUTH: 'scram', KAFKA_SCRAM_LISTENER: '', KAFKA_BROKERS: '127.0.0.1:1', CASSANDRA_CONTACT_POINTS: '127.0.0.1:1' };
    const result = spawnSync(TSX, ['infra/local/dev/start.ts'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('KAFKA_AUTH=scram needs the stack’s SASL/SCRAM listener: set KAFKA_SCRAM_LISTENER');
    // Nothing was started: no stack, no console.
    expect(result.stdout).not.toMatch(/starting|console/);
  });
});

describe('npm run scaling -- --prices FILE', () => {
  const rates = (content: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-'));
    fs.writeFileSync(path.join(dir, 'rates.json'), content);
    return path.join(dir, 'rates.json');
  };

  it('prices the table at the file’s rates and leaves docs/scaling.md as it was', () => {
    const doc = path.join(ROOT, 'docs', 'scaling.md');
    const before = fs.readFileSync(doc, 'utf8');
    const result = run('bench/scaling/cli.ts', ['--prices', rates('{"eventPollerUnitHour": 1}')]);
    expect(result.status).toBe(0);
    // One poller at 1,000 users a minute: 720 hours of a 30-day month at $1.
    expect(result.stdout).toMatch(/\| \$ a month: provisioned pollers \(eventPollerUnitHour\) \| \$720 \|/);
    expect(result.stdout).toContain('at the rates of ');
    expect(fs.readFileSync(doc, 'utf8')).toBe(before);
  });

  it('refuses a file whose rates it cannot use, naming each, with exit 2', () => {
    const result = run('bench/scaling/cli.ts', ['--prices', rates('{"eventPollerUnitHours": 1}')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('"eventPollerUnitHours" is no rate the model uses');
    expect(result.stderr).toMatch(/npm run scaling:/);
  });
});
