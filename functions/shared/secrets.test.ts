import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from './errors';

// The real AWS SDK client against a local endpoint that answers GetSecretValue (the JSON protocol
// Secrets Manager speaks), so caching and errors are seen on the wire; the authenticated-stack
// integration test reads real secrets from moto.
describe('reading credentials from Secrets Manager', () => {
  const secrets: Record<string, string | undefined> = {};
  const requested: string[] = [];
  let server: http.Server;
  let readCredentials: typeof import('./secrets').readCredentials;
  let readRootCertificate: typeof import('./secrets').readRootCertificate;
  let forgetSecrets: typeof import('./secrets').forgetSecrets;
  let SECRET_TTL_MS: number;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { SecretId } = JSON.parse(body) as { SecretId: string };
        requested.push(SecretId);
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(JSON.stringify({ ARN: SecretId, Name: 'n', SecretString: secrets[SecretId] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    // Imported after the endpoint is set: the module makes its client on first use.
    ({ readCredentials, readRootCertificate, forgetSecrets, SECRET_TTL_MS } = await import('./secrets'));
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => void (requested.length = 0));

  it('reads the username and password once within SECRET_TTL_MS, and again after it: a rotated password reaches a warm container', async () => {
    const t0 = 1_800_000_000_000;
    secrets['arn:one'] = JSON.stringify({ username: 'writer', password: 'pw', engine: 'cassandra' });
    await expect(readCredentials('arn:one', t0)).resolves.toEqual({ username: 'writer', password: 'pw' });
    secrets['arn:one'] = JSON.stringify({ username: 'writer', password: 'rotated' });
    await expect(readCredentials('arn:one', t0 + SECRET_TTL_MS - 1)).resolves.toEqual({ username: 'writer', password: 'pw' });
    expect(requested).toEqual(['arn:one']);
    await expect(readCredentials('arn:one', t0 + SECRET_TTL_MS)).resolves.toEqual({ username: 'writer', password: 'rotated' });
    expect(requested).toEqual(['arn:one', 'arn:one']);
  });

  it('reads every secret again after forgetSecrets, however recent: what a refused login calls', async () => {
    const t0 = 1_800_000_000_000;
    secrets['arn:forget'] = JSON.stringify({ username: 'writer', password: 'pw' });
    await readCredentials('arn:forget', t0);
    secrets['arn:forget'] = JSON.stringify({ username: 'writer', password: 'rotated' });
    forgetSecrets();
    await expect(readCredentials('arn:forget', t0 + 1)).resolves.toEqual({ username: 'writer', password: 'rotated' });
    expect(requested).toEqual(['arn:forget', 'arn:forget']);
  });

  it('says which secret lacks the fields, and reads it again on the next call once fixed', async () => {
    secrets['arn:two'] = JSON.stringify({ user: 'writer' });
    const error = await readCredentials('arn:two').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('secret arn:two must be JSON with string "username" and "password" fields');
    expect((error as Error).message).not.toContain('writer');
    secrets['arn:two'] = JSON.stringify({ username: 'writer', password: 'pw' });
    await expect(readCredentials('arn:two')).resolves.toEqual({ username: 'writer', password: 'pw' });
    expect(requested).toEqual(['arn:two', 'arn:two']);
  });

  it('treats a secret with no string value as lacking the fields', async () => {
    secrets['arn:three'] = undefined;
    await expect(readCredentials('arn:three')).rejects.toThrow('secret arn:three must be JSON');
  });

  it('reads a private root CA as Lambda’s mapping does (a certificate field in PEM form), and names a secret without one', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    secrets['arn:ca'] = JSON.stringify({ certificate: pem });
    await expect(readRootCertificate('arn:ca')).resolves.toBe(pem);
    secrets['arn:not-ca'] = JSON.stringify({ cert: pem });
    await expect(readRootCertificate('arn:not-ca')).rejects.toThrow(
      'secret arn:not-ca must be JSON with a "certificate" field holding the root CA in PEM form',
    );
    secrets['arn:not-pem'] = JSON.stringify({ certificate: 'MIIB' });
    await expect(readRootCertificate('arn:not-pem')).rejects.toThrow('secret arn:not-pem must be JSON with a "certificate" field');
  });
});
