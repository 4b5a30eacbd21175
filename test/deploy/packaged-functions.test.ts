// The zips of the AWS example stages as the nodejs24.x runtime runs them: unzipped outside the
// repository, loaded by a fresh Node 24 with nothing on NODE_PATH and the template's environment. AWS
// documents neither which @aws-sdk packages that runtime carries nor their versions, and recommends
// bundling your own (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included),
// so a module the zip lacks would be a Runtime.ImportModuleError on every invocation.
import fs from 'node:fs';
import path from 'node:path';
import { RandomUserStandIn } from '../../infra/local/users-api/random-user-stand-in';
import { runBare, unpackFunction, type BareRun, type PackagedFunction } from '../../infra/local/tools/bare-lambda';
import { loadEvent } from '../support/load-event';
import { packageStage } from '../support/packaged-template';

const STAGES = { 'example-msk': 'write-users.msk.json', 'example-kafka': 'write-users.self-managed.json' } as const;
const FUNCTIONS = ['produceUsers', 'writeUsers'] as const;

/**
 * Modules outside the bundle the functions may ask for and do without: cassandra-driver tries
 * `kerberos` in a try/catch for GSSAPI logins, which the pipeline never uses.
 */
const OPTIONAL = new Set(['kerberos']);

/** What the function asked Node for outside its bundle, neither built in nor optional: each would fail in Lambda. */
const missing = (externals: BareRun['externalsAtInit']) =>
  externals.filter(({ request }) => !OPTIONAL.has(request)).map(({ request, found }) => `${request}${found ? ' (found outside the zip)' : ''}`);

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

const unpacked: Record<string, Record<string, PackagedFunction>> = {};
// The fake credentials only sign requests that never leave this machine (the endpoints do not resolve here).
const offline = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', CASSANDRA_REQUEST_TIMEOUT_MS: '2000' };

beforeAll(async () => {
  for (const stage of Object.keys(STAGES)) {
    const { dir } = await packageStage(stage);
    unpacked[stage] = Object.fromEntries(FUNCTIONS.map((fn) => [fn, unpackFunction(dir, fn)]));
  }
}, 180_000);

describe.each(Object.keys(STAGES))('the %s zips in a bare nodejs24.x runtime', (stage) => {
  it.each(FUNCTIONS)('%s is at most 1 MB and carries one bundled handler.js, no node_modules', (fn) => {
    const { zipBytes, taskRoot, handlerFile } = unpacked[stage][fn];
    expect(zipBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(filesUnder(taskRoot)).toEqual([path.relative(taskRoot, handlerFile)]);
  });

  it.each(FUNCTIONS)('%s loads with nothing on NODE_PATH, asking for no module the zip lacks', async (fn) => {
    const run = await runBare(unpacked[stage][fn]);
    expect(run.handlerType).toBe('function');
    expect(missing(run.externalsAtInit)).toEqual([]);
  });

  it('produceUsers runs its AWS-only path (MSK IAM signing or the SCRAM secret) with every module it loads inside the zip', async () => {
    const standIn = new RandomUserStandIn();
    const url = await standIn.start();
    try {
      const run = await runBare(unpacked[stage].produceUsers, {
        event: loadEvent('produce-users.schedule.json'),
        env: { ...offline, USERS_API_URL: url, USERS_PER_RUN: '3' },
      });
      expect(missing(run.externalsAtInvoke)).toEqual([]);
      // It fails where this machine ends, at the brokers' or Secrets Manager's address, never on a module.
      expect(run.error?.message).not.toMatch(/Cannot find (module|package)|MODULE_NOT_FOUND/);
      expect(run.error?.name).toMatch(/PublishFailedError|KafkaJS|Error/);
    } finally {
      await standIn.stop();
    }
  }, 90_000);

  it('writeUsers runs its Keyspaces path (SigV4 credentials, TLS) with every module it loads inside the zip', async () => {
    const run = await runBare(unpacked[stage].writeUsers, { event: loadEvent(STAGES[stage as keyof typeof STAGES]), env: offline });
    expect(missing(run.externalsAtInvoke)).toEqual([]);
    const outcome = JSON.stringify(run.result ?? run.error);
    expect(outcome).not.toMatch(/Cannot find (module|package)|MODULE_NOT_FOUND/);
    // The rows could not reach cassandra.us-east-1.amazonaws.com from here: the batch fails as a whole.
    expect(outcome).toMatch(/cassandra\.us-east-1\.amazonaws\.com|NoHostAvailable|All host/);
  }, 90_000);
});
