// Builds the cassandra-driver client for the configured target: a local node (open or with
// PasswordAuthenticator) or Amazon Keyspaces (TLS on 9142, SigV4 with the function's AWS credentials).
import { auth, Client, types, type ClientOptions } from 'cassandra-driver';
import type { CassandraConfig } from '../shared/config';
import { LoginRefusedError } from '../shared/errors';
import { readCredentials } from '../shared/secrets';
import { consistencyOf } from './consistency';
import { KeyspacesSigV4AuthProvider } from './keyspaces-sigv4-auth';

/**
 * Amazon Keyspaces takes at most 3,000 requests/s on one connection and recommends 500; its public
 * endpoint lists nine peers, so two connections per peer leave room for a writer's bursts.
 * https://docs.aws.amazon.com/keyspaces/latest/devguide/connections.html
 */
export const KEYSPACES_CONNECTIONS_PER_HOST = 2;

/** The port every contact point names (config.ts refuses contact points on different ports). */
function contactPort(contactPoints: string[]): number {
  return Number(contactPoints[0].split(':').pop());
}

/** The driver options of a target before its credentials are added: pure, for its test. */
export function clientOptions(config: CassandraConfig): ClientOptions {
  return {
    contactPoints: config.contactPoints,
    localDataCenter: config.localDataCenter,
    // The driver reaches the nodes it discovers in system.peers on this port, not on the contact
    // points' own: without it, every Keyspaces peer (listening on 9142) is tried on 9042.
    protocolOptions: { port: contactPort(config.contactPoints) },
    socketOptions: { connectTimeout: config.requestTimeoutMs, readTimeout: config.requestTimeoutMs },
    queryOptions: { consistency: consistencyOf(config.consistency), prepare: true },
    ...(config.auth.mode === 'keyspaces'
      ? { pooling: { coreConnectionsPerHost: { [types.distance.local]: KEYSPACES_CONNECTIONS_PER_HOST, [types.distance.remote]: 1 } } }
      : {}),
  };
}

export async function createCassandraClient(config: CassandraConfig): Promise<Client> {
  const options = clientOptions(config);
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
      // The AWS SDK v3 credential chain (the function's role), memoized and refreshed; bundled, and
      // loaded only by a stage on Keyspaces, so other stages' cold starts do not pay for it.
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      options.authProvider = new KeyspacesSigV4AuthProvider(config.auth.region, defaultProvider());
      // Node's bundled CA store includes the Amazon and Starfield roots that sign Keyspaces' endpoints.
      options.sslOptions = { host, servername: host, rejectUnauthorized: true };
      break;
    }
  }
  return watchLoginRefusals(new Client(options));
}

const refusals = new WeakMap<Client, Error>();

/**
 * The driver reconnects a lost host in the background and, when the node refuses the login (a
 * rotated password), only logs it: queries then fail with "no host available" and no cause. This
 * keeps the last refusal until a connection opens again, so the writer can tell the two apart.
 */
function watchLoginRefusals(client: Client): Client {
  client.on('log', (_level: string, _className: string, message: string, furtherInfo?: unknown) => {
    if ((furtherInfo as Error | undefined)?.name === 'AuthenticationError') refusals.set(client, furtherInfo as Error);
    else if (/opened successfully/.test(message)) refusals.delete(client);
  });
  return client;
}

/** The login the node last refused this client's reconnection, while no connection has opened since. */
export function refusedLogin(client: Client): Error | undefined {
  return refusals.get(client);
}

/** Where the client's credentials come from, for an error that says what to fix. */
export function credentialsSource(config: CassandraConfig): string {
  switch (config.auth.mode) {
    case 'none':
      return 'nowhere (CASSANDRA_AUTH=none): the cluster demands a login, so set CASSANDRA_AUTH';
    case 'password':
      return `CASSANDRA_USERNAME=${config.auth.username} and CASSANDRA_PASSWORD`;
    case 'password-secret':
      return `the secret CASSANDRA_SECRET_ARN=${config.auth.secretArn}`;
    case 'keyspaces':
      return "the function's IAM role (SigV4 for Amazon Keyspaces)";
  }
}

/**
 * Connects, and names a refused login as such: the driver reports it as "no host available" with
 * an AuthenticationError per host, which reads like an outage.
 */
export async function connectCassandra(client: Client, config: CassandraConfig): Promise<Client> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    const perHost = Object.values((error as { innerErrors?: Record<string, unknown> }).innerErrors ?? {});
    const refusal = perHost.find((inner) => (inner as { name?: string } | undefined)?.name === 'AuthenticationError');
    if (refusal) throw new LoginRefusedError('Cassandra', config.contactPoints, credentialsSource(config), refusal);
    throw error;
  }
}
