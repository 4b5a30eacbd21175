import { auth, types, type Client, type ClientOptions } from 'cassandra-driver';
import type { CassandraConfig } from '../shared/config';
import { LoginRefusedError } from '../shared/errors';
import { clientOptions, connectCassandra, createCassandraClient, KEYSPACES_CONNECTIONS_PER_HOST } from './cassandra-client';
import { KeyspacesSigV4AuthProvider } from './keyspaces-sigv4-auth';

// The driver options each target gets, read back from a client that is never connected; and what a
// failed connect becomes. test/integration connects these to real Cassandra nodes.
const base: CassandraConfig = {
  contactPoints: ['db-1:9042', 'db-2:9042'],
  localDataCenter: 'dc-east',
  consistency: 'LOCAL_QUORUM',
  writeConcurrency: 32,
  requestTimeoutMs: 2500,
  auth: { mode: 'none' },
};

describe('the Cassandra client', () => {
  const clients: Client[] = [];
  /** The options the driver holds (merged with its defaults), from a client never connected. */
  async function optionsOf(config: CassandraConfig): Promise<ClientOptions> {
    const client = await createCassandraClient(config);
    clients.push(client);
    return (client as unknown as { options: ClientOptions }).options;
  }
  afterAll(() => Promise.all(clients.map((client) => client.shutdown())));

  it('prepares every statement at the configured consistency, with one timeout for connect and read', async () => {
    const options = await optionsOf({ ...base, consistency: 'EACH_QUORUM' });
    expect(options.contactPoints).toEqual(['db-1:9042', 'db-2:9042']);
    expect(options.localDataCenter).toBe('dc-east');
    expect(options.queryOptions).toMatchObject({ consistency: types.consistencies.eachQuorum, prepare: true });
    expect(options.socketOptions).toMatchObject({ connectTimeout: 2500, readTimeout: 2500 });
    expect(options.authProvider?.constructor.name).toBe('NoAuthProvider');
    expect(options.sslOptions).toBeUndefined();
  });

  it('logs in with the configured username and password', async () => {
    const options = await optionsOf({ ...base, auth: { mode: 'password', username: 'writer', password: 'pw' } });
    expect(options.authProvider).toBeInstanceOf(auth.PlainTextAuthProvider);
    expect(options.authProvider).toMatchObject({ username: 'writer', password: 'pw' });
  });

  it('signs in to Amazon Keyspaces with SigV4 over TLS, checking the first endpoint’s certificate', async () => {
    const options = await optionsOf({
      ...base,
      contactPoints: ['cassandra.eu-west-1.amazonaws.com:9142'],
      auth: { mode: 'keyspaces', region: 'eu-west-1' },
    });
    expect(options.authProvider).toBeInstanceOf(KeyspacesSigV4AuthProvider);
    expect(options.sslOptions).toEqual({
      host: 'cassandra.eu-west-1.amazonaws.com',
      servername: 'cassandra.eu-west-1.amazonaws.com',
      rejectUnauthorized: true,
    });
  });
});

describe('the driver options of each target', () => {
  const keyspaces: CassandraConfig = { ...base, contactPoints: ['cassandra.us-east-1.amazonaws.com:9142'], auth: { mode: 'keyspaces', region: 'us-east-1' } };

  // cassandra-driver reaches every host it learns from system.peers on protocolOptions.port (9042 by
  // default), whatever port the contact point named; Keyspaces lists nine peers, all on 9142.
  // https://docs.aws.amazon.com/keyspaces/latest/devguide/connections.html
  it('reaches the peers it discovers on the contact points’ port: 9142 for Keyspaces, not the default 9042', () => {
    expect(clientOptions(keyspaces).protocolOptions).toEqual({ port: 9142 });
    expect(clientOptions({ ...base, contactPoints: ['127.0.0.1:19042', '127.0.0.2:19042'] }).protocolOptions).toEqual({ port: 19042 });
  });

  it('keeps two connections per Keyspaces peer (3,000 requests/s each at most) and the driver’s default elsewhere', () => {
    expect(clientOptions(keyspaces).pooling?.coreConnectionsPerHost).toEqual({
      [types.distance.local]: KEYSPACES_CONNECTIONS_PER_HOST,
      [types.distance.remote]: 1,
    });
    expect(KEYSPACES_CONNECTIONS_PER_HOST).toBe(2);
    expect(clientOptions(base).pooling).toBeUndefined();
  });

  it('hands the driver those options unchanged', async () => {
    const client = await createCassandraClient(keyspaces);
    const options = (client as unknown as { options: ClientOptions }).options;
    await client.shutdown();
    expect(options.protocolOptions?.port).toBe(9142);
    expect(options.pooling?.coreConnectionsPerHost?.[types.distance.local]).toBe(2);
  });
});

describe('connecting to Cassandra', () => {
  const refusedEverywhere = Object.assign(new Error('All host(s) tried for query failed.'), {
    name: 'NoHostAvailableError',
    innerErrors: {
      'db-1:9042': Object.assign(new Error('Provided username writer and/or password are incorrect'), { name: 'AuthenticationError' }),
    },
  });
  const failingWith = (error: unknown) => ({ connect: () => Promise.reject(error) }) as unknown as Client;

  it('returns the client once connected', async () => {
    const client = { connect: () => Promise.resolve() } as unknown as Client;
    await expect(connectCassandra(client, base)).resolves.toBe(client);
  });

  it.each([
    [{ mode: 'none' } as const, 'nowhere (CASSANDRA_AUTH=none): the cluster demands a login, so set CASSANDRA_AUTH'],
    [{ mode: 'password', username: 'writer', password: 'pw' } as const, 'CASSANDRA_USERNAME=writer and CASSANDRA_PASSWORD'],
    [
      { mode: 'password-secret', secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:c' } as const,
      'the secret CASSANDRA_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:1:secret:c',
    ],
    [{ mode: 'keyspaces', region: 'eu-west-1' } as const, "the function's IAM role (SigV4 for Amazon Keyspaces)"],
  ])('names a refused login (%o) and where its credentials came from', async (credentials, source) => {
    const error = await connectCassandra(failingWith(refusedEverywhere), { ...base, auth: credentials }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginRefusedError);
    expect((error as Error).message).toBe(
      `Cassandra at db-1:9042,db-2:9042 refused the login (AuthenticationError: Provided username writer and/or password are incorrect). The credentials come from ${source}: check the username and password there, and that the user exists on the cluster.`,
    );
    expect((error as Error).message).not.toContain('pw');
  });

  it('leaves any other failure to connect as the driver said it', async () => {
    const down = Object.assign(new Error('All host(s) tried for query failed.'), {
      innerErrors: { 'db-1:9042': Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' }) },
    });
    await expect(connectCassandra(failingWith(down), base)).rejects.toBe(down);
    const bare = new Error('socket closed');
    await expect(connectCassandra(failingWith(bare), base)).rejects.toBe(bare);
  });
});
