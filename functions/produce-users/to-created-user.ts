// The seed's format_data, field for field, with two fixes: the id is the API's login.uuid (so a user
// published twice is the same row downstream) and post_code is always a string; and one field the seed
// left out, the API's nationality (version 2 of the record's schema).
import type { CreatedUser } from '../shared/created-user';
import type { RandomUser } from './random-user';

export function toCreatedUser(user: RandomUser): CreatedUser {
  const { location } = user;
  return {
    id: user.login.uuid,
    first_name: user.name.first,
    last_name: user.name.last,
    gender: user.gender,
    address: `${location.street.number} ${location.street.name}, ${location.city}, ${location.state}, ${location.country}`,
    post_code: String(location.postcode),
    email: user.email,
    username: user.login.username,
    dob: user.dob.date,
    registered_date: user.registered.date,
    phone: user.phone,
    picture: user.picture.medium,
    nationality: user.nat ?? null,
  };
}
