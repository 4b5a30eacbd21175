// Reads JSON credentials ({"username": …, "password": …}) from AWS Secrets Manager, once per container.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './errors';

export interface Credentials {
  username: string;
  password: string;
}

let client: SecretsManagerClient | undefined;
const cache = new Map<string, Promise<Credentials>>();

export function readCredentials(secretArn: string): Promise<Credentials> {
  let pending = cache.get(secretArn);
  if (!pending) {
    pending = fetchCredentials(secretArn);
    pending.catch(() => cache.delete(secretArn)); // let the next invocation try again
    cache.set(secretArn, pending);
  }
  return pending;
}

async function fetchCredentials(secretArn: string): Promise<Credentials> {
  client ??= new SecretsManagerClient({});
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  const parsed = SecretString ? (JSON.parse(SecretString) as Partial<Credentials>) : {};
  if (typeof parsed.username !== 'string' || typeof parsed.password !== 'string') {
    throw new ConfigurationError([`secret ${secretArn} must be JSON with string "username" and "password" fields`]);
  }
  return { username: parsed.username, password: parsed.password };
}
