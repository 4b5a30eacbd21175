import { auth } from 'cassandra-driver';
import { Credentials, CredentialProviderChain } from 'aws-sdk';
import { SigV4Authenticator } from 'aws-sigv4-auth-cassandra-plugin';
import { computeSigV4SignatureCassandraRequest } from 'aws-sigv4-auth-cassandra-plugin/lib/sigv4-auth-signature';
import { KeyspacesSigV4Authenticator, KeyspacesSigV4AuthProvider, nonceOf, signKeyspacesChallenge } from './keyspaces-sigv4-auth';

// The reference: AWS's aws-sigv4-auth-cassandra-plugin (a dev dependency for this test only), given
// the same credentials, nonce and time.
const fixed = {
  region: 'us-west-2',
  nonce: '91703fdc2ef562e19fbdab0f58e42fe5',
  date: new Date(1591742511000),
  accessKeyId: 'UserID-1',
  secretAccessKey: 'UserSecretKey-1',
};

function respond(authenticator: auth.Authenticator, challenge: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    authenticator.evaluateChallenge(challenge, (error: Error | null, response: Buffer) => (error ? reject(error) : resolve(response))),
  );
}

describe('the Keyspaces SigV4 signature', () => {
  it("is byte-identical to AWS's plugin for fixed credentials, nonce and time", () => {
    expect(signKeyspacesChallenge(fixed)).toBe(computeSigV4SignatureCassandraRequest(fixed));
    // AWS's published example value for these inputs.
    expect(signKeyspacesChallenge(fixed)).toBe(
      'signature=7f3691c18a81b8ce7457699effbfae5b09b4e0714ab38c1292dbdf082c9ddd87,access_key=UserID-1,amzdate=2020-06-09T22:41:51.000Z',
    );
  });

  it('is identical with a session token, another region and other dates', () => {
    for (const date of [new Date(0), new Date('2026-11-27T23:59:59.999Z'), new Date('2024-02-29T00:00:00Z')]) {
      const input = { ...fixed, region: 'eu-central-1', date, sessionToken: 'FwoGZXIvYXdzEB0aD+/=token', accessKeyId: 'ASIAEXAMPLE' };
      expect(signKeyspacesChallenge(input)).toBe(computeSigV4SignatureCassandraRequest(input));
    }
  });
});

describe('the Keyspaces SigV4 authenticator', () => {
  const challenge = Buffer.from(`nonce=${fixed.nonce}`);
  const credentials = async () => ({ accessKeyId: fixed.accessKeyId, secretAccessKey: fixed.secretAccessKey });

  it("answers the driver's handshake exactly as the plugin does", async () => {
    const ours = new KeyspacesSigV4Authenticator(fixed.region, credentials, () => fixed.date);
    const theirs = new SigV4Authenticator({
      region: fixed.region,
      date: fixed.date,
      chain: new CredentialProviderChain([new Credentials(fixed.accessKeyId, fixed.secretAccessKey)]),
    });
    const initial = (a: auth.Authenticator) => new Promise<Buffer>((resolve) => a.initialResponse((_: unknown, response: Buffer) => resolve(response)));
    expect(await initial(ours)).toEqual(await initial(theirs));
    expect(await respond(ours, challenge)).toEqual(await respond(theirs, challenge));
  });

  it('is an AuthProvider cassandra-driver accepts', () => {
    expect(new KeyspacesSigV4AuthProvider('us-east-1', credentials)).toBeInstanceOf((auth as unknown as { AuthProvider: new () => object }).AuthProvider);
  });

  it('says what is wrong when the challenge has no nonce or no credentials can be found', async () => {
    const ours = new KeyspacesSigV4Authenticator('us-east-1', credentials);
    await expect(respond(ours, Buffer.from('garbage'))).rejects.toThrow(/without a nonce .*CASSANDRA_CONTACT_POINTS/);
    // Quoted as text, and cut to 80 characters: a stranger's challenge may be long.
    await expect(respond(ours, Buffer.from('x'.repeat(200)))).rejects.toThrow(`without a nonce ("${'x'.repeat(80)}"); is`);
    const noCredentials = new KeyspacesSigV4Authenticator('us-east-1', () => Promise.reject(new Error('Could not load credentials from any providers')));
    await expect(respond(noCredentials, challenge)).rejects.toThrow(/No AWS credentials to sign in to Amazon Keyspaces with: Could not load credentials/);
  });

  it('reads the nonce out of a challenge', () => {
    expect(nonceOf(Buffer.from('nonce=abc,other=1'))).toBe('abc');
    expect(nonceOf(Buffer.from('nonce='))).toBeUndefined();
  });
});
