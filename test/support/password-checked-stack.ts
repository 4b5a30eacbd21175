// A private stack of the native launcher that demands logins, as production does: Kafka's
// SASL/SCRAM-SHA-512 listener beside the open one, and Cassandra with PasswordAuthenticator, on free
// loopback ports in a temp dir, so the shared stack of the other tests stays open. It uses the shared
// stack's jars (no second download) and its schema registry (an HTTP service both can use).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalStack } from '../../infra/local/stack/local-stack';
import { stackSettings } from '../../infra/local/stack/stack-settings';
import { freePort } from './free-port';

export interface PasswordCheckedStack {
  /** Not started: `stack.up()`. */
  stack: LocalStack;
  /** The launcher settings that describe it, for a child process (npm start) to find it. */
  env: Record<string, string>;
  /** The users the stack creates, with the passwords it gives them. */
  scramUser: { username: string; password: string };
  cassandraUser: { username: string; password: string };
  /** Stops what it started and removes its files. */
  remove(): Promise<void>;
}

export async function passwordCheckedStack(name: string, log: (line: string) => void): Promise<PasswordCheckedStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rds-${name}-`));
  const scramUser = { username: 'pipeline', password: randomBytes(12).toString('hex') };
  const cassandraUser = { username: 'pipeline_writer', password: randomBytes(12).toString('hex') };
  const [broker, controller, scram, cql, storage] = await Promise.all(Array.from({ length: 5 }, () => freePort()));
  const env = {
    LOCAL_STACK_DIR: dir,
    KAFKA_BROKERS: `127.0.0.1:${broker}`,
    KAFKA_CONTROLLER_PORT: String(controller),
    KAFKA_SCRAM_LISTENER: `127.0.0.1:${scram}`,
    KAFKA_SCRAM_USERNAME: scramUser.username,
    KAFKA_SCRAM_PASSWORD: scramUser.password,
    CASSANDRA_CONTACT_POINTS: `127.0.0.1:${cql}`,
    CASSANDRA_STORAGE_PORT: String(storage),
    CASSANDRA_AUTH: 'password',
    CASSANDRA_USERNAME: cassandraUser.username,
    CASSANDRA_PASSWORD: cassandraUser.password,
  };
  const settings = stackSettings(env);
  const stack = new LocalStack({ ...settings, dirs: { ...settings.dirs, lib: stackSettings({}).dirs.lib } }, log);
  return {
    stack,
    env,
    scramUser,
    cassandraUser,
    async remove() {
      await stack.down();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
