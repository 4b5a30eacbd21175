import fs from 'node:fs';
import path from 'node:path';
import { matchesFilter, readLines, selectLines, timeOf } from './local-log-lines';

// The router's recorded output of a failed schedule tick: JSON lines, an EMF line, and no others.
const recorded = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'offline-schedule-failure.log'), 'utf8');

describe("a function's local log lines", () => {
  it('take their time from Powertools JSON, EMF, or a leading ISO time, else from the line before', () => {
    expect(timeOf('{"level":"INFO","timestamp":"2026-11-27T07:04:00.190Z"}')).toBe(Date.parse('2026-11-27T07:04:00.190Z'));
    expect(timeOf('{"_aws":{"Timestamp":1795763040805}}')).toBe(1795763040805);
    expect(timeOf('2026-11-27T07:03:22.739Z [kafka-esm] writeUsers: users_created-2 offsets 83-91 ok')).toBe(Date.parse('2026-11-27T07:03:22.739Z'));
    expect(timeOf('(λ: writeUsers) RequestId: 7f  Duration: 692.74 ms')).toBeUndefined();
    expect(timeOf('{not json')).toBeUndefined();
    const lines = readLines('(λ: a) before any time\n2026-01-01T00:00:00.000Z [kafka-esm] a: x\n(λ: a) RequestId: 1  Duration: 3 ms\n');
    expect(lines.map((l) => l.time)).toEqual([undefined, Date.parse('2026-01-01T00:00:00.000Z'), Date.parse('2026-01-01T00:00:00.000Z')]);
  });

  it('are kept from the start time on, and by every term of the filter', () => {
    const lines = readLines(recorded);
    expect(lines).toHaveLength(14);
    const from = Date.parse('2026-11-27T07:04:00.300Z');
    expect(selectLines(lines, { startTime: from }).map((l) => l.time! >= from)).toEqual(Array(selectLines(lines, { startTime: from }).length).fill(true));
    expect(selectLines(lines, { startTime: 0, filter: 'retrying' })).toHaveLength(3);
    expect(selectLines(lines, { startTime: from, filter: 'retrying' })).toHaveLength(1);
    expect(selectLines(lines, { startTime: 0, filter: '"fetching users failed" USERS_API_UNAVAILABLE' })).toHaveLength(1);
  });

  it("match CloudWatch's unstructured terms: all present, quoted phrases whole, -term absent", () => {
    expect(matchesFilter('a b c', 'a c')).toBe(true);
    expect(matchesFilter('a b c', 'a d')).toBe(false);
    expect(matchesFilter('wrote user batch', '"user batch"')).toBe(true);
    expect(matchesFilter('wrote batch user', '"user batch"')).toBe(false);
    expect(matchesFilter('ERROR x', 'x -ERROR')).toBe(false);
    expect(matchesFilter('Error x', 'x -ERROR')).toBe(true);
    expect(matchesFilter('anything', '  ')).toBe(true);
  });
});
