// The places the project's plugins reach past the public API of osls and hapi, each behind one small
// function here: wrapping and replacing a lifecycle event's hooks (osls' PluginManager keeps them as
// `hooks[event] = [{pluginName, hook}]`), replacing a method of one of osls' own plugins, osls' own
// log and time helpers for `sls logs --offline`, and the server class every hapi server of sls
// offline shares (its servers are private).
// framework-internals.test.ts runs each against the installed framework and fails when its shape changes.

/** The part of osls' PluginManager the plugins touch. */
export interface HookRegistry {
  pluginManager: { hooks: Record<string, Array<{ pluginName: string; hook: (...args: unknown[]) => unknown }> | undefined> };
}

/** Wraps every hook already registered for `event`, in order; the wrapper gets the original. */
export function wrapHooks(serverless: HookRegistry, event: string, wrap: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown): void {
  for (const entry of hooks(serverless, event)) entry.hook = wrap(entry.hook);
}

/** Leaves `event` with the hooks of one plugin only (its class name, as osls records it). */
export function keepOnlyHooksOf(serverless: HookRegistry, event: string, pluginName: string): void {
  serverless.pluginManager.hooks[event] = hooks(serverless, event).filter((entry) => entry.pluginName === pluginName);
}

/** Replaces a method of one of osls' own plugins (its class name), given the original. */
export function replacePluginMethod(
  serverless: { pluginManager: { plugins: object[] } },
  pluginName: string,
  method: string,
  replace: (original: (...args: unknown[]) => Promise<unknown>) => (...args: unknown[]) => Promise<unknown>,
): void {
  const plugin = serverless.pluginManager.plugins?.find((candidate) => candidate.constructor.name === pluginName) as Record<string, unknown> | undefined;
  const original = plugin?.[method];
  if (typeof original !== 'function') {
    throw new Error(`osls no longer has ${pluginName}.${method}: infra/framework-internals.ts needs updating for this osls version`);
  }
  plugin![method] = replace((original as (...args: unknown[]) => Promise<unknown>).bind(plugin));
}

function hooks(serverless: HookRegistry, event: string) {
  const registry = serverless.pluginManager?.hooks;
  if (registry === null || typeof registry !== 'object') {
    throw new Error(
      'osls no longer keeps its lifecycle hooks in serverless.pluginManager.hooks: infra/framework-internals.ts needs updating for this osls version',
    );
  }
  return registry[event] ?? [];
}

/** osls' helpers for printing log events as `sls logs` prints CloudWatch's. */
export interface OslsLogHelpers {
  parseTimeInput(input: string, option: string): number;
  subtractTime(from: Date, amount: number, unit: string): Date;
  formatLogTimestamp(iso: string): string;
  writeText(text: string): void;
  style: { aside(text: string): string };
  ServerlessError: new (message: string, code: string) => Error;
}

// osls ships no types for its internals: loaded as plain modules, and checked below.
/* eslint-disable @typescript-eslint/no-require-imports */
export function oslsLogHelpers(): OslsLogHelpers {
  const { parseTimeInput, subtractTime, formatLogTimestamp } = require('serverless/lib/plugins/aws/utils/time');
  const { writeText, style } = require('serverless/lib/utils/serverless-utils/log');
  const ServerlessError = require('serverless/lib/serverless-error');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const helpers = { parseTimeInput, subtractTime, formatLogTimestamp, writeText, style, ServerlessError } as OslsLogHelpers;
  const missing = Object.entries({ parseTimeInput, subtractTime, formatLogTimestamp, writeText, aside: style?.aside, ServerlessError })
    .filter(([, value]) => typeof value !== 'function')
    .map(([name]) => name);
  if (missing.length > 0)
    throw new Error(`osls no longer exports ${missing.join(', ')} where sls logs --offline reads them: infra/framework-internals.ts needs updating`);
  return helpers;
}

/** The prototype every hapi server of this process shares (the one serverless-offline's servers are made from). */
export function hapiServerPrototype<Server extends { start(): Promise<void> }>(hapi: { server(options?: object): Server }): Server {
  const prototype = Object.getPrototypeOf(hapi.server({ autoListen: false })) as Server;
  if (typeof prototype?.start !== 'function')
    throw new Error("hapi's servers no longer share a prototype with start(): infra/framework-internals.ts needs updating");
  return prototype;
}
