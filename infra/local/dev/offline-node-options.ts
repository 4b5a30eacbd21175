// The Node flags `sls offline` runs with, under `npm start` and in the benchmark alike. A larger young
// generation: the emulator builds, stringifies and parses an event of up to 6 MB per invocation, and
// with V8's default semi-space most of it is promoted and collected again; the functions' worker
// threads share the process's heap settings.
export const OFFLINE_NODE_OPTIONS = '--max-semi-space-size=32';

/** NODE_OPTIONS with the offline process's flags added to whatever the caller's environment has. */
export function offlineNodeOptions(current: string | undefined): string {
  return [current, OFFLINE_NODE_OPTIONS].filter(Boolean).join(' ');
}
