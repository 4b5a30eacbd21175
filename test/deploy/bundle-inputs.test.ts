// What each function's bundle is made of, from esbuild's own account (its metafile): one copy and one
// build of each Powertools package and of middy (a package's CommonJS and ESM builds both bundled, or
// two versions of it, is the same code twice in the zip and two loggers' worth of state).
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..');

async function packageCopies(handler: string): Promise<Record<string, string[]>> {
  const { metafile } = await build({
    entryPoints: [path.join(ROOT, handler)],
    bundle: true,
    platform: 'node',
    target: 'node24',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const copies: Record<string, Set<string>> = {};
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/)((?:@aws-lambda-powertools|@middy)\/[^/]+)\/(?:(?:lib|dist)\/(cjs|esm)\/)?/.exec(input);
    if (match) (copies[match[2]] ??= new Set()).add(`${match[1]}${match[2]}${match[3] ? ` (${match[3]})` : ''}`);
  }
  return Object.fromEntries(Object.entries(copies).map(([name, places]) => [name, [...places]]));
}

describe.each(['functions/produce-users/handler.ts', 'functions/write-users/handler.ts'])('the bundle of %s', (handler) => {
  it('carries one copy and one build of each Powertools package and of middy', async () => {
    const copies = await packageCopies(handler);
    expect(Object.keys(copies)).toEqual(expect.arrayContaining(['@aws-lambda-powertools/commons', '@aws-lambda-powertools/logger', '@middy/core']));
    expect(Object.entries(copies).filter(([, places]) => places.length > 1)).toEqual([]);
  });
});
