// Each adapter against the installed osls and hapi: a change of their internal shape fails here, not
// in a developer's `sls invoke local`, `sls logs --offline` or `sls offline`.
import * as hapi from '@hapi/hapi';
import { hapiServerPrototype, keepOnlyHooksOf, oslsLogHelpers, replacePluginMethod, wrapHooks, type HookRegistry } from './framework-internals';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const PluginManager = require('serverless/lib/classes/plugin-manager');

/** osls' own PluginManager with two plugins hooked on the same event, as osls registers them. */
function registry(calls: string[]): HookRegistry {
  const pluginManager = new PluginManager({ service: { provider: { name: 'aws' } } });
  class FirstPlugin {
    hooks = { 'logs:logs': () => calls.push('first') };
  }
  class SecondPlugin {
    hooks = { 'logs:logs': () => calls.push('second') };
  }
  pluginManager.addPlugin(FirstPlugin);
  pluginManager.addPlugin(SecondPlugin);
  return { pluginManager };
}

const run = async (serverless: HookRegistry, event: string) => {
  for (const { hook } of serverless.pluginManager.hooks[event] ?? []) await hook();
};

describe("osls' lifecycle hooks", () => {
  it('wraps every hook of an event, each around its original', async () => {
    const calls: string[] = [];
    const serverless = registry(calls);
    wrapHooks(serverless, 'logs:logs', (original) => async () => {
      calls.push('before');
      return original();
    });
    await run(serverless, 'logs:logs');
    expect(calls).toEqual(['before', 'first', 'before', 'second']);
  });

  it('keeps only the named plugin’s hooks on an event', async () => {
    const calls: string[] = [];
    const serverless = registry(calls);
    keepOnlyHooksOf(serverless, 'logs:logs', 'SecondPlugin');
    await run(serverless, 'logs:logs');
    expect(calls).toEqual(['second']);
  });

  it('says which file to update when osls keeps its hooks elsewhere', () => {
    expect(() => wrapHooks({ pluginManager: {} } as unknown as HookRegistry, 'logs:logs', (hook) => hook)).toThrow(/framework-internals\.ts needs updating/);
  });
});

describe("osls' own remove plugin", () => {
  it('has the ECR probe the deployment plugin replaces, and takes the replacement', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const AwsRemove = require('serverless/lib/plugins/aws/remove');
    const remove = new AwsRemove({ getProvider: () => ({}), service: {} }, {});
    expect(typeof remove.checkIfEcrRepositoryExists).toBe('function');
    const serverless = { pluginManager: { plugins: [remove] } };
    replacePluginMethod(serverless, 'AwsRemove', 'checkIfEcrRepositoryExists', () => async () => false);
    await expect(remove.checkIfEcrRepositoryExists()).resolves.toBe(false);
    expect(() => replacePluginMethod(serverless, 'AwsRemove', 'noSuchMethod', (original) => original)).toThrow(/framework-internals\.ts needs updating/);
  });
});

describe("osls' log helpers", () => {
  it('parse, subtract and format times, and print, as sls logs does', () => {
    const helpers = oslsLogHelpers();
    expect(helpers.parseTimeInput('2026-12-05T10:00:00Z', '--startTime')).toBe(Date.parse('2026-12-05T10:00:00Z'));
    expect(helpers.subtractTime(new Date('2026-12-05T10:10:00Z'), 10, 'm').toISOString()).toBe('2026-12-05T10:00:00.000Z');
    expect(typeof helpers.formatLogTimestamp('2026-12-05T10:00:00.000Z')).toBe('string');
    expect(new helpers.ServerlessError('no log', 'NO_LOCAL_LOG')).toMatchObject({ message: 'no log', code: 'NO_LOCAL_LOG' });
  });
});

describe("hapi's server class", () => {
  it('is the one prototype every server shares, with start()', () => {
    const prototype = hapiServerPrototype(hapi);
    expect(Object.getPrototypeOf(hapi.server({ autoListen: false }))).toBe(prototype);
    expect(typeof prototype.start).toBe('function');
  });

  it('is the class serverless-offline’s servers are made from', () => {
    const offlineHapi = require.resolve('@hapi/hapi', { paths: [require.resolve('serverless-offline')] });
    expect(offlineHapi).toBe(require.resolve('@hapi/hapi'));
  });
});
