// The rows the seed's format_data makes of the recorded API records, written out literally in
// expected-rows.json (one per recorded user, keyed by login.uuid) and checked by eye against the
// fixtures: the tests' statement of the expected row, independent of the formatter's code.
import type { RandomUser } from '../../functions/produce-users/random-user';
import rows from './expected-rows.json';

const byId = new Map(rows.map((row) => [row.id, row as Record<string, string>]));

export function expectedRow(raw: RandomUser): Record<string, string> {
  const row = byId.get(raw.login.uuid);
  if (!row) throw new Error(`no expected row for recorded user ${raw.login.uuid}: add it to test/support/expected-rows.json`);
  return row;
}
