// Users in the exact shape of the Random User API v1.4 (https://randomuser.me/documentation), made by
// @faker-js/faker in each nationality's locale, for `npm run users-api`: new users on every call, as
// the real API gives, where the recorded responses (the tests' ground truth) repeat the same few.
//
// The API's parameters that matter here: `results` (1–5,000), `seed` (same seed and page, same users),
// `page`, `nat` (comma list), `inc`/`exc` (top-level fields). And its quirks, as the recorded
// responses show them: post codes are numbers for most nationalities and strings for CA, GB, IE and
// NL; `id.value` is null for some nationalities; names and streets come in the locale's script
// (Persian for IR, Cyrillic for UA).
import { createHash } from 'node:crypto';
import {
  fakerDA,
  fakerDE,
  fakerDE_CH,
  fakerEN_AU,
  fakerEN_CA,
  fakerEN_GB,
  fakerEN_IE,
  fakerEN_IN,
  fakerEN_US,
  fakerES,
  fakerES_MX,
  fakerFA,
  fakerFI,
  fakerFR,
  fakerNB_NO,
  fakerNL,
  fakerPT_BR,
  fakerSR_RS_latin,
  fakerTR,
  fakerUK,
  type Faker,
} from '@faker-js/faker';

export const MAX_RESULTS = 5000;
export const API_VERSION = '1.4';

interface Nationality {
  faker: Faker;
  country: string;
  /** The national id's name and a value, or null where the API gives none. */
  id: (f: Faker) => { name: string; value: string | null };
  postcode: (f: Faker) => number | string;
}

const digits = (f: Faker, n: number) => f.string.numeric({ length: n, allowLeadingZeros: true });
const numeric = (min: number, max: number) => (f: Faker) => f.number.int({ min, max });

export const NATIONALITIES: Record<string, Nationality> = {
  AU: { faker: fakerEN_AU, country: 'Australia', id: (f) => ({ name: 'TFN', value: digits(f, 9) }), postcode: numeric(200, 9999) },
  BR: {
    faker: fakerPT_BR,
    country: 'Brazil',
    id: (f) => ({ name: 'CPF', value: `${digits(f, 3)}.${digits(f, 3)}.${digits(f, 3)}-${digits(f, 2)}` }),
    postcode: numeric(10000, 99999),
  },
  CA: { faker: fakerEN_CA, country: 'Canada', id: (f) => ({ name: 'SIN', value: digits(f, 9) }), postcode: (f) => f.location.zipCode('?#? #?#').toUpperCase() },
  CH: {
    faker: fakerDE_CH,
    country: 'Switzerland',
    id: (f) => ({ name: 'AVS', value: `756.${digits(f, 4)}.${digits(f, 4)}.${digits(f, 2)}` }),
    postcode: numeric(1000, 9999),
  },
  DE: {
    faker: fakerDE,
    country: 'Germany',
    id: (f) => ({ name: 'SVNR', value: `${digits(f, 2)} ${digits(f, 6)} ${f.string.alpha({ length: 1, casing: 'upper' })} ${digits(f, 3)}` }),
    postcode: numeric(10000, 99999),
  },
  DK: { faker: fakerDA, country: 'Denmark', id: (f) => ({ name: 'CPR', value: `${digits(f, 6)}-${digits(f, 4)}` }), postcode: numeric(1000, 99999) },
  ES: {
    faker: fakerES,
    country: 'Spain',
    id: (f) => ({ name: 'DNI', value: `${digits(f, 8)}-${f.string.alpha({ length: 1, casing: 'upper' })}` }),
    postcode: numeric(10000, 99999),
  },
  FI: { faker: fakerFI, country: 'Finland', id: (f) => ({ name: 'HETU', value: `NaNNaNNaN${digits(f, 3)}` }), postcode: numeric(10000, 99999) },
  FR: { faker: fakerFR, country: 'France', id: (f) => ({ name: 'INSEE', value: `${digits(f, 13)} ${digits(f, 2)}` }), postcode: numeric(1000, 99999) },
  GB: {
    faker: fakerEN_GB,
    country: 'United Kingdom',
    id: (f) => ({
      name: 'NINO',
      value: `${f.string.alpha({ length: 2, casing: 'upper' })} ${digits(f, 2)} ${digits(f, 2)} ${digits(f, 2)} ${f.string.alpha({ length: 1, casing: 'upper' })}`,
    }),
    postcode: (f) => f.location.zipCode('??# #??').toUpperCase(),
  },
  IE: {
    faker: fakerEN_IE,
    country: 'Ireland',
    id: (f) => ({ name: 'PPS', value: `${digits(f, 7)}T` }),
    postcode: (f) => f.location.zipCode('?##-####').toUpperCase(),
  },
  IN: { faker: fakerEN_IN, country: 'India', id: (f) => ({ name: 'UIDAI', value: digits(f, 12) }), postcode: numeric(100000, 999999) },
  IR: { faker: fakerFA, country: 'Iran', id: () => ({ name: '', value: null }), postcode: numeric(10000, 99999) },
  MX: {
    faker: fakerES_MX,
    country: 'Mexico',
    id: (f) => ({ name: 'NSS', value: `${digits(f, 2)} ${digits(f, 2)} ${digits(f, 2)} ${digits(f, 4)} ${digits(f, 1)}` }),
    postcode: numeric(10000, 99999),
  },
  NL: {
    faker: fakerNL,
    country: 'Netherlands',
    id: (f) => ({ name: 'BSN', value: digits(f, 8) }),
    postcode: (f) => `${f.number.int({ min: 1000, max: 9999 })} ${f.string.alpha({ length: 2, casing: 'upper' })}`,
  },
  NO: { faker: fakerNB_NO, country: 'Norway', id: (f) => ({ name: 'FN', value: `${digits(f, 6)} ${digits(f, 5)}` }), postcode: numeric(1000, 9999) },
  NZ: { faker: fakerEN_AU, country: 'New Zealand', id: () => ({ name: '', value: null }), postcode: numeric(1000, 9999) },
  RS: { faker: fakerSR_RS_latin, country: 'Serbia', id: (f) => ({ name: 'SID', value: digits(f, 9) }), postcode: numeric(10000, 99999) },
  TR: { faker: fakerTR, country: 'Turkey', id: () => ({ name: '', value: null }), postcode: numeric(10000, 99999) },
  UA: { faker: fakerUK, country: 'Ukraine', id: () => ({ name: '', value: null }), postcode: numeric(10000, 99999) },
  US: {
    faker: fakerEN_US,
    country: 'United States',
    id: (f) => ({ name: 'SSN', value: `${digits(f, 3)}-${digits(f, 2)}-${digits(f, 4)}` }),
    postcode: numeric(10000, 99999),
  },
};

export const USER_FIELDS = ['gender', 'name', 'location', 'email', 'login', 'dob', 'registered', 'phone', 'cell', 'id', 'picture', 'nat'] as const;

export interface GenerateRequest {
  results: number;
  seed?: string;
  page: number;
  nat?: string[];
  inc?: string[];
  exc?: string[];
}

export interface GeneratedResponse {
  results: Array<Record<string, unknown>>;
  info: { seed: string; results: number; page: number; version: string };
}

export class UnknownParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownParameterError';
  }
}

/** The API's parameters from a query string; unknown nationalities and fields are refused by name. */
export function readGenerateRequest(query: URLSearchParams): GenerateRequest {
  const list = (name: string) =>
    query
      .get(name)
      ?.split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const results = Math.min(MAX_RESULTS, Math.max(1, Number.parseInt(query.get('results') ?? '1', 10) || 1));
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
  const nat = list('nat')?.map((code) => code.toUpperCase());
  const unknownNat = nat?.filter((code) => !(code in NATIONALITIES));
  if (unknownNat?.length)
    throw new UnknownParameterError(
      `nat: unknown nationalit${unknownNat.length > 1 ? 'ies' : 'y'} ${unknownNat.join(', ')}; known: ${Object.keys(NATIONALITIES).join(', ')}`,
    );
  for (const name of ['inc', 'exc']) {
    const unknown = list(name)?.filter((field) => !(USER_FIELDS as readonly string[]).includes(field));
    if (unknown?.length) throw new UnknownParameterError(`${name}: unknown field(s) ${unknown.join(', ')}; fields: ${USER_FIELDS.join(', ')}`);
  }
  const format = query.get('format') ?? 'json';
  if (format !== 'json') throw new UnknownParameterError(`format=${format}: this stand-in serves format=json only`);
  return { results, page, seed: query.get('seed') ?? undefined, nat, inc: list('inc'), exc: list('exc') };
}

/** A 32-bit seed for faker from the API's seed string, the page and the user's place on it. */
function numericSeed(seed: string, page: number, index: number): number {
  return createHash('sha256').update(`${seed}/${page}/${index}`).digest().readUInt32BE(0);
}

const TITLES = { male: ['Mr'], female: ['Ms', 'Mrs', 'Miss'] };
const TIMEZONES = [
  ['-12:00', 'Eniwetok, Kwajalein'],
  ['-5:00', 'Eastern Time (US & Canada), Bogota, Lima'],
  ['-3:00', 'Brazil, Buenos Aires, Georgetown'],
  ['0:00', 'Western Europe Time, London, Lisbon, Casablanca'],
  ['+1:00', 'Brussels, Copenhagen, Madrid, Paris'],
  ['+3:30', 'Tehran'],
  ['+5:45', 'Kathmandu'],
  ['+9:30', 'Adelaide, Darwin'],
  ['+11:00', 'Magadan, Solomon Islands, New Caledonia'],
] as const;

function ageOn(date: Date, now: Date): number {
  return Math.floor((now.getTime() - date.getTime()) / (365.25 * 24 * 3600 * 1000));
}

function generateUser(code: string, f: Faker, now: Date): Record<string, unknown> {
  const nationality = NATIONALITIES[code];
  const gender = f.helpers.arrayElement(['male', 'female'] as const);
  const first = f.person.firstName(gender);
  const last = f.person.lastName(gender);
  const password = f.internet.password({ length: f.number.int({ min: 6, max: 12 }), memorable: true });
  const salt = f.string.alphanumeric(8);
  const hash = (algorithm: string) =>
    createHash(algorithm)
      .update(password + salt)
      .digest('hex');
  const dob = f.date.birthdate({ mode: 'age', min: 18, max: 80, refDate: now });
  const registered = f.date.past({ years: 20, refDate: now });
  const portrait = f.number.int({ min: 0, max: 99 });
  const folder = gender === 'male' ? 'men' : 'women';
  const [offset, description] = f.helpers.arrayElement(TIMEZONES);
  return {
    gender,
    name: { title: f.helpers.arrayElement(TITLES[gender]), first, last },
    location: {
      street: { number: f.number.int({ min: 1, max: 9999 }), name: f.location.street() },
      city: f.location.city(),
      state: f.location.state(),
      country: nationality.country,
      postcode: nationality.postcode(f),
      coordinates: { latitude: f.location.latitude({ precision: 4 }).toFixed(4), longitude: f.location.longitude({ precision: 4 }).toFixed(4) },
      timezone: { offset, description },
    },
    email: `${first}.${last}@example.com`.toLowerCase().replace(/\s+/g, ''),
    login: {
      uuid: f.string.uuid(),
      username: `${f.color.human()}${f.animal.type()}${f.number.int({ min: 100, max: 999 })}`.toLowerCase().replace(/[^a-z0-9]/g, ''),
      password,
      salt,
      md5: hash('md5'),
      sha1: hash('sha1'),
      sha256: hash('sha256'),
    },
    dob: { date: dob.toISOString(), age: ageOn(dob, now) },
    registered: { date: registered.toISOString(), age: ageOn(registered, now) },
    phone: f.phone.number(),
    cell: f.phone.number(),
    id: nationality.id(f),
    picture: {
      large: `https://randomuser.me/api/portraits/${folder}/${portrait}.jpg`,
      medium: `https://randomuser.me/api/portraits/med/${folder}/${portrait}.jpg`,
      thumbnail: `https://randomuser.me/api/portraits/thumb/${folder}/${portrait}.jpg`,
    },
    nat: code,
  };
}

/**
 * A response body as the API sends it. Each user is made from its own seed (the request's seed,
 * page and place on the page), so a seed and page always give the same users, whatever `results`.
 * `now` fixes the ages; dates themselves come from the seed.
 */
export function generateResponse(request: GenerateRequest, now = new Date(Date.UTC(2026, 0, 1))): GeneratedResponse {
  const seed = request.seed ?? createHash('sha256').update(`${Date.now()}/${Math.random()}`).digest('hex').slice(0, 16);
  const codes = request.nat?.length ? request.nat : Object.keys(NATIONALITIES);
  const results = Array.from({ length: request.results }, (_, index) => {
    const n = numericSeed(seed, request.page, index);
    const code = codes[n % codes.length];
    const { faker } = NATIONALITIES[code];
    faker.seed(n);
    const user = generateUser(code, faker, now);
    const fields = USER_FIELDS.filter((field) => (request.inc ? request.inc.includes(field) : true) && !request.exc?.includes(field));
    return Object.fromEntries(fields.map((field) => [field, user[field]]));
  });
  return { results, info: { seed, results: results.length, page: request.page, version: API_VERSION } };
}
