import { CREATED_USER_SUBJECT, schemaText } from '../../contract/created-user-schema';
import { decodeUser, localRegistry } from '../support/registry';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { launchChromium } from '../support/browser';
import { freePort } from '../support/free-port';
import { Background, PROJECT_ROOT, run, SLS } from '../support/processes';
import { BROKERS, CONTACT_POINTS, readSince, testCassandra, testKafka, topicEnd } from '../support/services';

const kafka = testKafka();

const LOGS = path.join(PROJECT_ROOT, '.local', 'logs', 'functions');

/** What each log file of the directory gained since `sizes` were taken: the files append across runs. */
function appendedSince(sizes: Map<string, number>): Map<string, string> {
  const files = fs.existsSync(LOGS) ? fs.readdirSync(LOGS) : [];
  return new Map(
    files.map((file) => {
      const text = fs.readFileSync(path.join(LOGS, file));
      return [file, text.subarray(sizes.get(file) ?? 0).toString('utf8')];
    }),
  );
}

function logSizes(): Map<string, number> {
  const files = fs.existsSync(LOGS) ? fs.readdirSync(LOGS) : [];
  return new Map(files.map((file) => [file, fs.statSync(path.join(LOGS, file)).size]));
}

/** The personal values of a stored row, as they would appear in a leaked log line. */
function personalData(row: Record<string, string>): string[] {
  const street = row.address.split(',')[0].replace(/^\d+\s+/, '');
  return [row.email, row.phone, row.first_name, row.last_name, street];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// `npm run users-api` (users generated in the API's shape, new every call) and `npm start`, as a
// newcomer runs them: each schedule tick adds USERS_PER_RUN rows, each function gets its own log
// file, and no line of any log (sls offline's output, every function's file) carries personal data.
/** The figures `npm run status` prints: rows, dead letters, and per partition the lag. */
function statusFigures(output: string) {
  return {
    rows: Number(/spark_streams\.created_users: (\d+) row/.exec(output)?.[1]),
    deadLetters: Number(/users_created\.dlq: (\d+) record/.exec(output)?.[1]),
    lags: [...output.matchAll(/^ {2}(\d+) +(?:\d+|none) +\d+ +(\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]),
    totalLag: Number(/total lag (\d+)/.exec(output)?.[1]),
  };
}

/**
 * The console of the running `npm start`, in Chromium: its figures are those `npm run status` prints
 * (read one right after the other, between two schedule ticks), and its redrive button answers.
 */
async function checkConsole(app: Background): Promise<void> {
  const url = /console +(http:\/\/127\.0\.0\.1:\d+\/)/.exec(app.output)?.[1];
  expect(url).toBeDefined();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(url!);
    const text = async (id: string) => (await page.getByTestId(id).textContent())!.trim();
    const shown = {
      rows: Number(await text('rows')),
      deadLetters: Number(await text('dead-letters')),
      lags: await Promise.all([0, 1, 2].map(async (p) => [p, Number(await text(`lag-writeUsers-${p}`))])),
      totalLag: Number(await text('total-lag-writeUsers')),
    };
    // Not while the page reloads itself (every 5 s): each view counts the rows too.
    await page.goto('about:blank');
    const status = await run('npm', ['run', '-s', 'status'], { KAFKA_BROKERS: BROKERS.join(','), CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(',') });
    expect(status.output).toContain('spark_streams.created_users:');
    expect(status.code).toBe(0);
    expect(shown).toEqual(statusFigures(status.output));
    expect(shown.rows).toBeGreaterThan(0);

    // The functions' activity and the schedule's runs come from the logs of this run.
    await page.goto(url!);
    expect(Number(await text('invocations-produceUsers'))).toBeGreaterThanOrEqual(2);
    expect(Number(await text('invocations-writeUsers'))).toBeGreaterThanOrEqual(2);
    expect(await page.locator('table').filter({ hasText: 'outcome' }).locator('tr', { hasText: 'published' }).count()).toBeGreaterThanOrEqual(2);

    // Redrive from the page: the notice reports what happened, counted as `npm run dlq` counts.
    // This run's mapping dead-lettered a record of its own (not in the registry's wire format) as
    // schema-validation-failed, never redriven: at least that one goes back. (The page redrives one
    // reason at a time; other tests leave records of other reasons.)
    const redrive = page.getByRole('button', { name: 'Redrive to users_created' });
    await expect(redrive.isEnabled()).resolves.toBe(true);
    await page.locator('select[name="reason"]').selectOption('schema-validation-failed');
    await redrive.click();
    await expect(page.getByTestId('notice').textContent()).resolves.toMatch(
      /^Redrive of schema-validation-failed: \d+ chosen, [1-9]\d* redriven to users_created, \d+ already redriven before\.$/,
    );
  } finally {
    await browser.close();
  }
}

describe('npm run users-api and npm start', () => {
  let cassandra: Client;
  const started: Background[] = [];

  beforeAll(() => {
    cassandra = testCassandra();
  });
  afterAll(async () => {
    for (const process of started.reverse()) await process.stop();
    await cassandra.shutdown();
  });

  it('adds USERS_PER_RUN new rows every minute, logging no personal data', async () => {
    const tsx = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
    const port = await freePort();
    const usersApi = new Background(tsx, ['infra/local/users-api/serve.ts'], { USERS_API_PORT: String(port) });
    started.push(usersApi);
    await usersApi.waitFor('generated users (API v1.4 shape)', 30_000);

    const sizesBefore = logSizes();
    const from = await topicEnd(kafka, 'users_created');
    const app = new Background(tsx, ['infra/local/dev/start.ts'], {
      KAFKA_BROKERS: BROKERS.join(','),
      CASSANDRA_CONTACT_POINTS: CONTACT_POINTS.join(','),
      USERS_API_URL: `http://127.0.0.1:${port}/api/`,
      USERS_PER_RUN: '5',
      OFFLINE_HTTP_PORT: '3121',
      OFFLINE_LAMBDA_PORT: '3122',
      CONSOLE_PORT: '0',
    });
    started.push(app);
    const ticks = () => app.output.split('Successfully invoked scheduled function: [produceUsers]').length - 1;
    const stored = async (ids: string[]) =>
      ids.length === 0 ? 0 : (await cassandra.execute('SELECT id FROM spark_streams.created_users WHERE id IN ?', [ids], { prepare: true })).rowLength;

    // Two ticks of the schedule, each publishing five users the API made for it, and each user a row.
    const deadline = Date.now() + 170_000;
    while (ticks() < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1000));
    // `sls logs --offline --tail`, started between the ticks, prints the second tick's lines as they come.
    const tail = new Background(SLS, ['logs', '-f', 'writeUsers', '--offline', '--tail', '--interval', '250'], {});
    started.push(tail);
    while (ticks() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1000));
    const published = (await readSince(kafka, 'users_created', from, 10, 30_000)).map((m) => m.key!);
    expect(new Set(published).size).toBe(10);
    while ((await stored(published)) < 10 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await stored(published)).toBe(10);
    expect(app.output).toContain('realtime-data-streaming, running locally');
    // The registry is up with the record's subject registered: every record is in its wire format,
    // the current schema's id in its header, and the mapping delivered each to writeUsers.
    const currentId = await localRegistry().idOf(CREATED_USER_SUBJECT, schemaText());
    const records = await readSince(kafka, 'users_created', from, 10, 5000);
    expect(await Promise.all(records.map(async (m) => (await decodeUser(m.value!)).schemaId))).toEqual(Array(10).fill(currentId));

    // `sls logs --offline` reads the running pipeline's log as osls prints CloudWatch's: a time, a tab, the line.
    await tail.waitFor(/\t\{"level":"INFO","message":"wrote user batch"/, 20_000);
    const recent = await run(SLS, ['logs', '-f', 'writeUsers', '--offline', '--startTime', '5m', '--filter', '"wrote user batch"'], {});
    expect(recent.code).toBe(0);
    const printed = recent.output.trim().split('\n');
    expect(printed.length).toBeGreaterThanOrEqual(2);
    for (const line of printed) expect(line).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\t\{"level":"INFO","message":"wrote user batch"/);

    // One record of this run's own on the dead-letter topic, so that the console has one to redrive
    // whatever other tests left there.
    const dlqFrom = await topicEnd(kafka, 'users_created.dlq');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'users_created', messages: [{ key: 'npm-start-poison', value: 'not JSON' }] });
    await producer.disconnect();
    expect((await readSince(kafka, 'users_created.dlq', dlqFrom, 1, 60_000)).map((m) => m.key)).toEqual(['npm-start-poison']);

    await checkConsole(app);

    expect(await app.stop()).toBe(0);
    expect(app.output).toContain('[kafka-esm] stopped; processed offsets are committed');

    // Only this run's lines: earlier runs appended to the same files.
    const written = appendedSince(sizesBefore);
    expect(written.get('produceUsers.log')).toContain('"message":"produced users"');
    expect(written.get('writeUsers.log')).toMatch(/\[kafka-esm\] writeUsers: users_created-\d offsets/);

    const rows = (
      await cassandra.execute('SELECT id, first_name, last_name, address, email, phone FROM spark_streams.created_users WHERE id IN ?', [published], {
        prepare: true,
      })
    ).rows;
    const values = rows.flatMap((row) => personalData(row as unknown as Record<string, string>));
    expect(values).toHaveLength(published.length * 5);
    const leaksIn = (text: string, of = values) => of.filter((value) => new RegExp(`(^|[^\\p{L}\\p{N}])${escape(value)}($|[^\\p{L}\\p{N}])`, 'u').test(text));
    // The check sees a whole row logged: its own five values (another user may share a name with it).
    expect(leaksIn(JSON.stringify(rows[0]), personalData(rows[0] as unknown as Record<string, string>))).toHaveLength(5);
    expect(leaksIn([app.output, usersApi.output, ...written.values()].join('\n'))).toEqual([]);
  }, 240_000);
});
