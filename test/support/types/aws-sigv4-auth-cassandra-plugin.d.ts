// The plugin ships no types. It stays a dev dependency only, as the reference that
// keyspaces-sigv4-auth.test.ts holds the project's own SigV4 authenticator to.
declare module 'aws-sigv4-auth-cassandra-plugin/lib/sigv4-auth-signature' {
  export function computeSigV4SignatureCassandraRequest(input: {
    region: string;
    nonce: string;
    date: Date;
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  }): string;
}
declare module 'aws-sigv4-auth-cassandra-plugin' {
  import type { auth } from 'cassandra-driver';
  export class SigV4Authenticator implements auth.Authenticator {
    constructor(options: { region: string; chain: unknown; date?: Date });
    initialResponse(callback: (error: Error | null, response: Buffer) => void): void;
    evaluateChallenge(challenge: Buffer, callback: (error: Error | null, response: Buffer) => void): void;
    onAuthenticationSuccess(token?: Buffer): void;
  }
}
declare module 'aws-sdk' {
  export class Credentials {
    constructor(accessKeyId: string, secretAccessKey: string, sessionToken?: string);
  }
  export class CredentialProviderChain {
    constructor(providers: unknown[]);
  }
}
