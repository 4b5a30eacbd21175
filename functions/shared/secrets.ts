// Reads JSON secrets from AWS Secrets Manager, once per container: credentials ({"username": …,
// "password": …}) and a private root CA ({"certificate": …}, the form Lambda's mapping reads for
// SERVER_ROOT_CA_CERTIFICATE: https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html).
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './errors';

export interface Credentials {
  username: string;
  password: string;
}

let client: SecretsManagerClient | undefined;
const cache = new Map<string, Promise<unknown>>();

/** The secret's fields as `parse` reads them, cached; a failed fetch or parse is tried again next call. */
function readSecret<T>(secretArn: string, parse: (fields: Record<string, unknown>) => T): Promise<T> {
  let pending = cache.get(secretArn) as Promise<T> | undefined;
  if (!pending) {
    pending = fetchSecret(secretArn).then(parse);
    pending.catch(() => cache.delete(secretArn));
    cache.set(secretArn, pending);
  }
  return pending;
}

async function fetchSecret(secretArn: string): Promise<Record<string, unknown>> {
  // Bundled, and loaded only by a stage whose secrets live in Secrets Manager.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  client ??= new SecretsManagerClient({});
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  return SecretString ? (JSON.parse(SecretString) as Record<string, unknown>) : {};
}

export function readCredentials(secretArn: string): Promise<Credentials> {
  return readSecret(secretArn, ({ username, password }) => {
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new ConfigurationError([`secret ${secretArn} must be JSON with string "username" and "password" fields`]);
    }
    return { username, password };
  });
}

export function readRootCertificate(secretArn: string): Promise<string> {
  return readSecret(secretArn, ({ certificate }) => {
    if (typeof certificate !== 'string' || !certificate.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigurationError([`secret ${secretArn} must be JSON with a "certificate" field holding the root CA in PEM form`]);
    }
    return certificate;
  });
}
