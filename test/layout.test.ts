// The layout's rules, read from the code's own imports: dependencies point one way (infra uses the
// contract and the functions' shared code; nothing imports back), each function's folder stands
// alone, functions/shared/ holds only what both functions use, the event-source mapping
// (infra/mapping/) belongs to neither the deployment nor local development, and no folder imports one
// that imports it, however far round.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const SOURCES = ['contract', 'functions', 'infra'];
const IMPORT = /(?:from\s+|^import\s+|require\(\s*|import\(\s*|\.require\(\s*)['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.(ts|js)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [rel] : [];
  });
}

/** Every import between two files of the sources, as [from file, to file]. */
function imports(): Array<[string, string]> {
  return SOURCES.flatMap(sourceFiles).flatMap((file) =>
    [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(IMPORT)].map(
      ([, spec]) => [file, path.normalize(path.join(path.dirname(file), spec))] as [string, string],
    ),
  );
}

const edges = imports();
const folderEdges = new Map<string, Set<string>>();
for (const [from, to] of edges) {
  const [a, b] = [path.dirname(from), path.dirname(to)];
  if (a !== b) folderEdges.set(a, (folderEdges.get(a) ?? new Set()).add(b));
}

/** The folder cycles, each as the path that closes it. */
function cycles(): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (folder: string, trail: string[]) => {
    if (state.get(folder) === 'done') return;
    if (state.get(folder) === 'open') {
      found.push([...trail.slice(trail.indexOf(folder)), folder].join(' → '));
      return;
    }
    state.set(folder, 'open');
    for (const next of folderEdges.get(folder) ?? []) visit(next, [...trail, folder]);
    state.set(folder, 'done');
  };
  for (const folder of folderEdges.keys()) visit(folder, []);
  return found;
}

/** Every source file a file reaches through its imports, itself included. */
function reachable(start: string): Set<string> {
  const byFile = new Map<string, string[]>();
  for (const [from, to] of edges) byFile.set(from, [...(byFile.get(from) ?? []), to]);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of byFile.get(file) ?? [])
      for (const candidate of [next, `${next}.ts`, `${next}.js`]) if (byFile.has(candidate) || fs.existsSync(path.join(ROOT, candidate))) visit(candidate);
  };
  visit(start);
  return seen;
}

const crossing = (fromPrefix: string, toPrefix: string) =>
  edges.filter(([from, to]) => from.startsWith(fromPrefix) && to.startsWith(toPrefix)).map(([from, to]) => `${from} → ${to}`);

describe('the layout', () => {
  it('reads the imports it judges', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.some(([from, to]) => from === 'infra/deploy/stage.js' && to === 'infra/deploy/stage-settings.ts')).toBe(true);
  });

  it('has no folder that imports one that imports it', () => {
    expect(cycles()).toEqual([]);
  });

  it('keeps the functions and the contract free of infra', () => {
    expect([...crossing('functions/', 'infra/'), ...crossing('contract/', 'infra/'), ...crossing('contract/', 'functions/')]).toEqual([]);
  });

  it('keeps each function to its own folder and shared/', () => {
    expect([...crossing('functions/produce-users/', 'functions/write-users/'), ...crossing('functions/write-users/', 'functions/produce-users/')]).toEqual([]);
    expect([...crossing('functions/shared/', 'functions/produce-users/'), ...crossing('functions/shared/', 'functions/write-users/')]).toEqual([]);
  });

  it('keeps in functions/shared/ only what both functions use', () => {
    const produceUsers = reachable('functions/produce-users/handler.ts');
    const writeUsers = reachable('functions/write-users/handler.ts');
    expect(produceUsers.size).toBeGreaterThan(10);
    const shared = sourceFiles('functions/shared');
    expect(shared.filter((file) => !(produceUsers.has(file) && writeUsers.has(file)))).toEqual([]);
  });

  it('keeps the functions’ use of KafkaJS in one seam, functions/shared/kafka-client.ts and producer.ts', () => {
    const users = sourceFiles('functions').filter((file) => /from 'kafkajs'/.test(fs.readFileSync(path.join(ROOT, file), 'utf8')));
    expect(users.sort()).toEqual(['functions/shared/kafka-client.ts', 'functions/shared/producer.ts']);
  });

  it('lets infra use only the functions’ shared code, and the deployment nothing of local development', () => {
    expect([...crossing('infra/', 'functions/produce-users/'), ...crossing('infra/', 'functions/write-users/')]).toEqual([]);
    expect(crossing('infra/deploy/', 'infra/local/')).toEqual([]);
  });

  it('gives the event-source mapping one home that local development and the deployment both use and neither owns', () => {
    expect(crossing('infra/local/', 'infra/deploy/')).toEqual([]);
    expect([...crossing('infra/mapping/', 'infra/deploy/'), ...crossing('infra/mapping/', 'infra/local/')]).toEqual([]);
    expect(edges.some(([from, to]) => from.startsWith('infra/local/kafka-emulator/') && to.startsWith('infra/mapping/'))).toBe(true);
    expect(edges.some(([from, to]) => from.startsWith('infra/deploy/') && to.startsWith('infra/mapping/'))).toBe(true);
  });

  // Node's own require tries `.json` before `.ts`: where jest loads a global setup, `./topics` once
  // meant contract/topics.json instead of topics.ts, and the stack registered the schema under
  // `undefined-value`. An extensionless import must have one file to mean.
  it('gives no TypeScript module a JSON file of the same name beside it', () => {
    const modules = ['contract', 'functions', 'infra', 'test', 'bench'].flatMap(tsFiles);
    expect(modules.filter((file) => fs.existsSync(path.join(ROOT, file.replace(/\.ts$/, '.json'))))).toEqual([]);
  });
});

function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}
