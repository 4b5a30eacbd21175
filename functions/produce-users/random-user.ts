// The Random User API's response (version 1.4) as it really arrives: post codes as strings or numbers,
// `id.value` null or garbage, names in any script, and an `{"error": …}` body when it is overloaded.
// Only what a created_users row needs is required; everything else passes through untouched.
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1);

export const RandomUserSchema = z.object({
  gender: z.string(),
  name: z.object({ first: nonEmpty, last: nonEmpty }),
  location: z.object({
    street: z.object({ number: z.union([z.number(), z.string()]), name: z.string() }),
    city: z.string(),
    state: z.string(),
    country: z.string(),
    postcode: z.union([z.string(), z.number()]),
  }),
  email: nonEmpty,
  login: z.object({ uuid: z.uuid(), username: nonEmpty }),
  dob: z.object({ date: nonEmpty }),
  registered: z.object({ date: nonEmpty }),
  phone: z.string(),
  picture: z.object({ medium: nonEmpty }),
  // Optional: `inc`/`exc` can leave it out, and a user without one is still a user.
  nat: z.string().optional(),
});

export type RandomUser = z.infer<typeof RandomUserSchema>;

export type RandomUserCheck = { ok: true; user: RandomUser } | { ok: false; reason: string };

/**
 * Validates one API record. The reason names the offending field and the rule it broke, never the
 * value: these are personal data and reasons end up in logs.
 */
export function checkRandomUser(record: unknown): RandomUserCheck {
  const result = RandomUserSchema.safeParse(record);
  if (result.success) return { ok: true, user: result.data };
  const issue = result.error.issues[0];
  return { ok: false, reason: `${issue.path.join('.') || '(record)'}: ${issue.code}` };
}
