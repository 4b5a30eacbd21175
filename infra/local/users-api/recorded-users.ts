// The recorded real Random User API records (fixtures/randomuser): one whole response and eight
// records of mixed nationalities, with the API's real quirks left in.
import fs from 'node:fs';
import path from 'node:path';

export const FIXTURES_DIR = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'randomuser');

export interface RecordedResponse {
  results: unknown[];
  info: { seed: string; results: number; page: number; version: string };
}

export function recordedResponse(): RecordedResponse {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, 'response-v1.4-ca-us.json'), 'utf8')) as RecordedResponse;
}

export function recordedMixedRecords(): unknown[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, 'records-v1.4-mixed.json'), 'utf8')) as unknown[];
}

/** Every recorded record: the whole response's first, then the mixed ones. */
export function recordedUsers(): unknown[] {
  return [...recordedResponse().results, ...recordedMixedRecords()];
}
