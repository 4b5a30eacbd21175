import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageOf, summarise } from './profile-summary';

// What npm run bench:profile groups a V8 profile's self time by: a synthetic profile with one node per
// kind of frame, and an esbuild bundle whose module markers name the packages inside it.
describe('grouping a CPU profile by package', () => {
  it('names packages (scoped too), the project directories and Node built-ins', () => {
    expect(packageOf('/w/node_modules/kafkajs/src/consumer/index.js')).toBe('kafkajs');
    expect(packageOf('/w/node_modules/@hapi/hapi/lib/route.js')).toBe('@hapi/hapi');
    expect(packageOf('/w/node_modules/a/node_modules/b/x.js')).toBe('a');
    expect(packageOf('/w/infra/local/kafka-emulator/record-buffer.ts')).toBe('infra/local/kafka-emulator');
    expect(packageOf('/w/functions/shared/producer.ts')).toBe('functions/shared');
    expect(packageOf('/w/functions/write-users/handler.ts')).toBe('functions/write-users');
  });

  it('adds each sample’s time to its frame’s group, reading a bundle’s lines by its module markers', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-summary-'));
    const bundle = path.join(dir, '.esbuild', '.build', 'handler.js');
    fs.mkdirSync(path.dirname(bundle), { recursive: true });
    fs.writeFileSync(
      bundle,
      ['"use strict";', '// node_modules/cassandra-driver/lib/encoder.js', 'var a = 1;', '// functions/shared/lambda-kafka-event.ts', 'var b = 2;'].join('\n'),
    );
    const frame = (id: number, functionName: string, url: string, lineNumber = 0) => ({ id, callFrame: { functionName, url, lineNumber } });
    const profile = {
      nodes: [
        frame(1, '(garbage collector)', ''),
        frame(2, 'decode', 'file:///w/node_modules/kafkajs/src/decoder.js'),
        frame(3, 'writeBuffer', ''),
        frame(4, 'emit', 'node:events'),
        frame(5, 'encode', `file://${bundle}`, 2),
        frame(6, 'decodeJsonValue', `file://${bundle}`, 4),
        frame(7, '(idle)', ''),
      ],
      samples: [1, 2, 2, 3, 4, 5, 6, 6, 7],
      timeDeltas: [1000, 2000, 2000, 500, 250, 4000, 1500, 1500, 9000],
    };
    const { totalMs, groups } = summarise(profile);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(totalMs).toBe(21.75);
    expect(Object.fromEntries(groups)).toEqual({
      '(garbage collector)': 1,
      kafkajs: 4,
      'native writeBuffer': 0.5,
      'node: built-in modules': 0.25,
      'cassandra-driver': 4,
      'functions/shared': 3,
      '(idle)': 9,
    });
    // Largest first.
    expect(groups.map(([group]) => group).slice(0, 2)).toEqual(['(idle)', 'kafkajs']);
  });
});
