// Reads JSON secrets from AWS Secrets Manager: credentials ({"username": …, "password": …}) and a
// private root CA ({"certificate": …}, the form Lambda's mapping reads for SERVER_ROOT_CA_CERTIFICATE:
// https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html). Each is kept for
// SECRET_TTL_MS, not for the container's life: a rotated password reaches a warm container by itself,
// and at once when a refused login makes the caller forget them (renewed-login.ts).
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './errors';

export interface Credentials {
  username: string;
  password: string;
}

let client: SecretsManagerClient | undefined;
const cache = new Map<string, { value: Promise<unknown>; fetchedAt: number }>();

/**
 * How long a secret is used before it is read again. Secrets Manager's rotation keeps the previous
 * version valid while a rotation runs; five minutes bounds how long a warm container keeps one a
 * person changed by hand, at one GetSecretValue per secret per container every five minutes.
 */
export const SECRET_TTL_MS = 5 * 60_000;

/** The secret's fields as `parse` reads them, cached for SECRET_TTL_MS; a failed fetch or parse is tried again next call. */
function readSecret<T>(secretArn: string, parse: (fields: Record<string, unknown>) => T, now = Date.now()): Promise<T> {
  const cached = cache.get(secretArn);
  if (cached && now - cached.fetchedAt < SECRET_TTL_MS) return cached.value as Promise<T>;
  const value = fetchSecret(secretArn).then(parse);
  const entry = { value, fetchedAt: now };
  value.catch(() => {
    if (cache.get(secretArn) === entry) cache.delete(secretArn);
  });
  cache.set(secretArn, entry);
  return value;
}

/** Every secret is read again on its next use: a login was refused, so one may have rotated. */
export function forgetSecrets(): void {
  cache.clear();
}

async function fetchSecret(secretArn: string): Promise<Record<string, unknown>> {
  // Bundled, and loaded only by a stage whose secrets live in Secrets Manager.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  client ??= new SecretsManagerClient({});
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  return SecretString ? (JSON.parse(SecretString) as Record<string, unknown>) : {};
}

export function readCredentials(secretArn: string, now?: number): Promise<Credentials> {
  return readSecret(
    secretArn,
    ({ username, password }) => {
      if (typeof username !== 'string' || typeof password !== 'string') {
        throw new ConfigurationError([`secret ${secretArn} must be JSON with string "username" and "password" fields`]);
      }
      return { username, password };
    },
    now,
  );
}

export function readRootCertificate(secretArn: string): Promise<string> {
  return readSecret(secretArn, ({ certificate }) => {
    if (typeof certificate !== 'string' || !certificate.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigurationError([`secret ${secretArn} must be JSON with a "certificate" field holding the root CA in PEM form`]);
    }
    return certificate;
  });
}
