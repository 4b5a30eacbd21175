// Every setting of the README's table reaches the function that reads it, on the local stage: in the
// resolved configuration that `sls offline` (npm start) and `sls invoke local` run, and in the
// packaged template that deploys to an AWS API emulator. Each is set to a value of its own here.
import fs from 'node:fs';
import path from 'node:path';
import { packageStage } from '../support/packaged-template';
import { PROJECT_ROOT, run, SLS } from '../support/processes';

const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const table = readme.slice(readme.indexOf('## Settings'), readme.indexOf('Settings are read and validated once'));
const rows = table.split('\n').filter((line) => line.startsWith('| `'));
/** [setting, the functions that read it] for every row of the table. */
const settings = rows.flatMap((row) => {
  const [names, , usedBy] = row.slice(2).split(' | ');
  const readers = ['produceUsers', 'writeUsers'].filter((fn) => usedBy.includes(fn) || usedBy.includes('both functions'));
  return [...names.matchAll(/`([A-Z_]+)`/g)].map(([, name]) => [name, readers] as const);
});
// Credentials the table names inside the CASSANDRA_AUTH row.
const extra = [...table.matchAll(/`(CASSANDRA_(?:USERNAME|PASSWORD|SECRET_ARN)|KAFKA_SASL_SECRET_ARN)`/g)].map(
  ([, name]) => [name, ['writeUsers'] as string[]] as const,
);
const all = [...settings, ...extra.filter(([name]) => !settings.some(([n]) => n === name))];
const valueOf = (name: string) => `value-of-${name.toLowerCase()}`;
const env = Object.fromEntries(all.map(([name]) => [name, valueOf(name)]));

function environmentOf(
  functions: Record<string, { environment?: Record<string, string> }>,
  shared: Record<string, string>,
  fn: string,
): Record<string, string> {
  return { ...shared, ...functions[fn].environment };
}

describe("the README's settings on the local stage", () => {
  it('names every setting the functions read', () => {
    expect(all.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'KAFKA_BROKERS',
        'USERS_API_BUDGET_MS',
        'KAFKA_SSL',
        'CASSANDRA_WRITE_CONCURRENCY',
        'CASSANDRA_REQUEST_TIMEOUT_MS',
        'CASSANDRA_PASSWORD',
      ]),
    );
  });

  it('reach each function that reads them, in what sls offline and sls invoke local run', async () => {
    // KAFKA_BROKERS must be a host:port list to resolve the stage at all.
    const { code, output } = await run(SLS, ['print', '--format', 'json', '--stage', 'local'], { ...env, KAFKA_BROKERS: '10.9.8.7:9092' });
    expect(code).toBe(0);
    const printed = JSON.parse(output.slice(output.indexOf('{'))) as {
      provider: { environment: Record<string, string> };
      functions: Record<string, { environment?: Record<string, string> }>;
    };
    for (const [name, readers] of all) {
      for (const fn of readers) {
        const expected = name === 'KAFKA_BROKERS' ? '10.9.8.7:9092' : valueOf(name);
        expect(`${fn} ${name}=${environmentOf(printed.functions, printed.provider.environment, fn)[name]}`).toBe(`${fn} ${name}=${expected}`);
      }
    }
  }, 60_000);

  it('reach each function in the packaged template of the local stage', async () => {
    const template = await packageStage('local', [], { ...env, KAFKA_BROKERS: '10.9.8.7:9092' });
    for (const [name, readers] of all) {
      for (const fn of readers) {
        const id = `${fn[0].toUpperCase()}${fn.slice(1)}LambdaFunction`;
        const variables = (template.resources[id].Properties.Environment as { Variables: Record<string, string> }).Variables;
        const expected = name === 'KAFKA_BROKERS' ? '10.9.8.7:9092' : valueOf(name);
        expect(`${fn} ${name}=${variables[name]}`).toBe(`${fn} ${name}=${expected}`);
      }
    }
  }, 120_000);
});
