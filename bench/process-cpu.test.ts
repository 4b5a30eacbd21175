import { Worker } from 'node:worker_threads';
import { measureThreads } from './process-cpu';

describe('CPU split by thread (/proc)', () => {
  const linux = process.platform === 'linux' ? it : it.skip;

  linux('counts a thread started after the measurement began apart from the main thread and the helpers', async () => {
    const split = measureThreads(process.pid);
    // A worker thread that spins until told to stop (a thread that has ended leaves /proc, and its CPU with it).
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker('const { workerData } = require("node:worker_threads"); while (Atomics.load(workerData, 0) === 0);', {
      eval: true,
      workerData: shared,
    });
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    try {
      const deadline = Date.now() + 10_000;
      let seen = split();
      while (seen.functions < 0.3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = split();
      }
      expect(seen.functions).toBeGreaterThanOrEqual(0.3);
      // The main thread only waited.
      expect(seen.main).toBeLessThan(seen.functions);
    } finally {
      Atomics.store(shared, 0, 1);
      await exited;
    }
  });

  linux('finds no thread of a process that is gone', () => {
    expect(measureThreads(2 ** 22 + 1)()).toEqual({ main: 0, functions: 0, helpers: 0 });
  });
});
