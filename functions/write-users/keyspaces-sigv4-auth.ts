// Amazon Keyspaces' SigV4 authentication for cassandra-driver: the client answers the server's nonce
// with a signature made from the function's AWS credentials. Written on node:crypto and the AWS SDK v3
// credential chain that the Lambda runtime already carries, so the bundle needs neither AWS SDK v2 nor
// crypto-js (which aws-sigv4-auth-cassandra-plugin pulled in: a 7.4 MB writeUsers.zip). A test holds
// the signature byte-identical to that plugin's.
import { createHash, createHmac } from 'node:crypto';
import { auth } from 'cassandra-driver';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type CredentialSource = () => Promise<AwsCredentials>;

export interface SigningInput extends AwsCredentials {
  region: string;
  nonce: string;
  date: Date;
}

const SERVICE = 'cassandra';
const ALGORITHM = 'AWS4-HMAC-SHA256';

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

/** The response to a Keyspaces SigV4 challenge: `signature=…,access_key=…,amzdate=…[,session_token=…]`. */
export function signKeyspacesChallenge({ region, nonce, date, accessKeyId, secretAccessKey, sessionToken }: SigningInput): string {
  const amzDate = date.toISOString();
  const dateStamp = amzDate.slice(0, 10).replace(/-/g, '');
  const scope = `${dateStamp}/${region}/${SERVICE}/aws4_request`;
  // In canonical order: sorted by name, as SigV4 requires.
  const query = [
    `X-Amz-Algorithm=${ALGORITHM}`,
    `X-Amz-Credential=${accessKeyId}%2F${encodeURIComponent(scope)}`,
    `X-Amz-Date=${encodeURIComponent(amzDate)}`,
    'X-Amz-Expires=900',
  ].join('&');
  const canonicalRequest = `PUT\n/authenticate\n${query}\nhost:${SERVICE}\n\nhost\n${sha256Hex(nonce)}`;
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, dateStamp), region), SERVICE), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `signature=${signature},access_key=${accessKeyId},amzdate=${amzDate}${sessionToken ? `,session_token=${sessionToken}` : ''}`;
}

/** The nonce of a challenge such as `nonce=91703fdc…`, or undefined. */
export function nonceOf(challenge: Buffer): string | undefined {
  const [, after] = challenge.toString('utf8').split('nonce=');
  return after?.split(',')[0] || undefined;
}

// cassandra-driver checks `instanceof auth.AuthProvider` at runtime; its typings declare only interfaces.
const driverAuth = auth as unknown as { AuthProvider: new () => object; Authenticator: new () => object };
const DriverAuthProvider = driverAuth.AuthProvider;
const DriverAuthenticator = driverAuth.Authenticator;

type Callback = (error: Error | null, response: Buffer | null) => void;

export class KeyspacesSigV4Authenticator extends DriverAuthenticator implements auth.Authenticator {
  constructor(
    private readonly region: string,
    private readonly credentials: CredentialSource,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
  }

  initialResponse(callback: Callback): void {
    callback(null, Buffer.from('SigV4\0\0', 'utf8'));
  }

  evaluateChallenge(challenge: Buffer, callback: Callback): void {
    const nonce = nonceOf(challenge);
    if (!nonce) {
      callback(
        new Error(
          `Amazon Keyspaces sent a SigV4 challenge without a nonce ("${challenge.toString('utf8').slice(0, 80)}"); is CASSANDRA_CONTACT_POINTS a Keyspaces endpoint?`,
        ),
        null,
      );
      return;
    }
    const date = this.now();
    this.credentials().then(
      (credentials) => callback(null, Buffer.from(signKeyspacesChallenge({ region: this.region, nonce, date, ...credentials }), 'utf8')),
      (error: Error) =>
        callback(
          new Error(`No AWS credentials to sign in to Amazon Keyspaces with: ${error.message}. The function's role (or AWS_PROFILE locally) provides them.`),
          null,
        ),
    );
  }

  onAuthenticationSuccess(): void {}
}

export class KeyspacesSigV4AuthProvider extends DriverAuthProvider implements auth.AuthProvider {
  constructor(
    private readonly region: string,
    private readonly credentials: CredentialSource,
  ) {
    super();
  }

  newAuthenticator(): auth.Authenticator {
    return new KeyspacesSigV4Authenticator(this.region, this.credentials);
  }
}
