// What the seed's format_data makes of a recorded API record, written out from the fixture's own
// fields: the tests' independent statement of the expected row.
import type { RandomUser } from '../../functions/lib/users/random-user';

export function expectedRow(raw: RandomUser): Record<string, string> {
  const l = raw.location;
  return {
    id: raw.login.uuid,
    first_name: raw.name.first,
    last_name: raw.name.last,
    gender: raw.gender,
    address: `${l.street.number} ${l.street.name}, ${l.city}, ${l.state}, ${l.country}`,
    post_code: `${l.postcode}`,
    email: raw.email,
    username: raw.login.username,
    dob: raw.dob.date,
    registered_date: raw.registered.date,
    phone: raw.phone,
    picture: raw.picture.medium,
  };
}
