// Builds the cassandra-driver client for the configured target: a local node (open or with
// PasswordAuthenticator) or Amazon Keyspaces (TLS on 9142, SigV4 with the function's AWS credentials).
import { auth, Client, type ClientOptions } from 'cassandra-driver';
import type { CassandraConfig } from '../config';
import { readCredentials } from '../secrets';
import { consistencyOf } from './consistency';
import { KeyspacesSigV4AuthProvider } from './keyspaces-sigv4-auth';

export async function createCassandraClient(config: CassandraConfig): Promise<Client> {
  const options: ClientOptions = {
    contactPoints: config.contactPoints,
    localDataCenter: config.localDataCenter,
    socketOptions: { connectTimeout: config.requestTimeoutMs, readTimeout: config.requestTimeoutMs },
    queryOptions: { consistency: consistencyOf(config.consistency), prepare: true },
  };
  switch (config.auth.mode) {
    case 'none':
      break;
    case 'password':
      options.authProvider = new auth.PlainTextAuthProvider(config.auth.username, config.auth.password);
      break;
    case 'password-secret': {
      const { username, password } = await readCredentials(config.auth.secretArn);
      options.authProvider = new auth.PlainTextAuthProvider(username, password);
      break;
    }
    case 'keyspaces': {
      const host = config.contactPoints[0].split(':')[0];
      // The runtime's AWS SDK v3 credential chain (the function's role), memoized and refreshed.
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      options.authProvider = new KeyspacesSigV4AuthProvider(config.auth.region, defaultProvider());
      // Node's bundled CA store includes the Amazon and Starfield roots that sign Keyspaces' endpoints.
      options.sslOptions = { host, servername: host, rejectUnauthorized: true };
      break;
    }
  }
  return new Client(options);
}
