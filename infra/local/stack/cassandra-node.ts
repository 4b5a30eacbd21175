// An Apache Cassandra 5.0 node from the jars that jvm/cassandra/pom.xml pins (the stack's one node,
// or one of a cluster's three), run in the foreground of its own detached JVM with the JPMS options
// Cassandra needs on Java 17+.
import fs from 'node:fs';
import path from 'node:path';
import { auth, Client, type ClientOptions } from 'cassandra-driver';
import type { Java } from './java';
import { classpath, ensureArtifacts, findJar } from './jvm-artifacts';
import { readJvmOptions } from './jvm-options';
import type { LocalService } from './local-service';
import { ManagedProcess } from './managed-process';
import { projectRoot, type CassandraNodeSpec, type StackSettings } from './stack-settings';

export class CassandraNode implements LocalService {
  readonly name = 'cassandra' as const;
  readonly endpoint;
  readonly process: ManagedProcess;
  readonly startTimeoutMs = 180_000;
  private readonly dataDir: string;
  private readonly configDir: string;

  constructor(
    private readonly settings: StackSettings,
    readonly node: CassandraNodeSpec = settings.cassandra.processes[0],
  ) {
    this.endpoint = { host: node.host, port: node.port };
    this.process = new ManagedProcess(node.name, settings.dirs.run, settings.dirs.logs);
    this.dataDir = path.join(settings.dirs.data, node.name);
    this.configDir = path.join(settings.dirs.root, 'conf', node.name);
  }

  async answers(timeoutMs = 3000): Promise<boolean> {
    const client = new Client({
      ...this.adminClientOptions(),
      socketOptions: { connectTimeout: timeoutMs, readTimeout: timeoutMs },
    });
    try {
      await client.connect();
      const result = await client.execute('SELECT release_version FROM system.local');
      return result.rowLength === 1;
    } catch {
      return false;
    } finally {
      await client.shutdown().catch(() => undefined);
    }
  }

  /** How the stack itself connects to this node: as the superuser when the node checks passwords. */
  adminClientOptions(): ClientOptions {
    const { host, port } = this.node;
    const { localDc, auth: credentials } = this.settings.cassandra;
    return {
      contactPoints: [`${host}:${port}`],
      // Peers listen on this node's client port too (the driver's default for peers is 9042).
      protocolOptions: { port },
      localDataCenter: localDc,
      authProvider: credentials ? new auth.PlainTextAuthProvider(credentials.superuser.username, credentials.superuser.password) : undefined,
    };
  }

  async launch(java: Java, log: (line: string) => void): Promise<void> {
    const lib = await ensureArtifacts('cassandra', this.settings.dirs.lib, log);
    const config = this.writeConfig();
    const logback = this.writeLogback();
    const options = readJvmOptions(path.join(projectRoot, 'infra', 'local', 'stack', 'jvm', 'cassandra', 'jvm-server.options'));
    this.process.start(java.bin, [
      ...options,
      `-javaagent:${findJar(lib, 'jamm-')}`,
      `-Dcassandra.config=file://${config}`,
      `-Dlogback.configurationFile=file://${logback}`,
      `-Dcassandra.logdir=${this.settings.dirs.logs}`,
      // The built-in superuser is created 10 s after start by default; the stack logs in as it.
      '-Dcassandra.superuser_setup_delay_ms=0',
      '-cp',
      classpath(lib),
      'org.apache.cassandra.service.CassandraDaemon',
    ]);
  }

  private writeConfig(): string {
    const { host, port } = this.node;
    const { storagePort, replicas } = this.settings.cassandra;
    const dir = (name: string) => {
      const full = path.join(this.dataDir, name);
      fs.mkdirSync(full, { recursive: true });
      return full;
    };
    fs.mkdirSync(this.configDir, { recursive: true });
    const file = path.join(this.configDir, 'cassandra.yaml');
    fs.writeFileSync(
      file,
      `# Written by infra/local/stack/cassandra-node.ts at each start; edit that file, not this one.
cluster_name: realtime-data-streaming-local
num_tokens: 16
allocate_tokens_for_local_replication_factor: ${replicas}
auto_bootstrap: false
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
listen_address: ${host}
rpc_address: ${host}
storage_port: ${storagePort}
native_transport_port: ${port}
start_native_transport: true
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${this.settings.cassandra.seeds.join(',')}"
data_file_directories: [${dir('data')}]
commitlog_directory: ${dir('commitlog')}
saved_caches_directory: ${dir('saved_caches')}
hints_directory: ${dir('hints')}
cdc_raw_directory: ${dir('cdc_raw')}
commitlog_sync: periodic
commitlog_sync_period: 10000ms
authenticator: ${this.settings.cassandra.auth ? 'PasswordAuthenticator' : 'AllowAllAuthenticator'}
authorizer: ${this.settings.cassandra.auth ? 'CassandraAuthorizer' : 'AllowAllAuthorizer'}
`,
    );
    return file;
  }

  private writeLogback(): string {
    const file = path.join(this.configDir, 'logback.xml');
    fs.writeFileSync(
      file,
      `<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${path.join(this.settings.dirs.logs, `${this.node.name}-system.log`)}</file>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
`,
    );
    return file;
  }
}
