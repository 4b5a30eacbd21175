// Loads a recorded sample event from events/, as `sls invoke local --path` would.
import fs from 'node:fs';
import path from 'node:path';

export const EVENTS_DIR = path.resolve(__dirname, '..', '..', 'events');

export function loadEvent<T = unknown>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(EVENTS_DIR, name), 'utf8')) as T;
}
