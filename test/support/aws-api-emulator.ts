// moto's AWS API server (pinned in infra/local/tools/requirements.txt) on a free loopback port, for a real
// `sls deploy` without an AWS account. Every call stays on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { pythonTool } from '../../infra/local/tools/python-tools';
import { freePort } from './free-port';

export class AwsApiEmulator {
  private child: ChildProcess | undefined;
  private output = '';
  endpoint = '';

  /** The environment that sends osls and the AWS SDK to this emulator, with dummy credentials. */
  get env(): Record<string, string> {
    return { AWS_ENDPOINT_URL: this.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_SESSION_TOKEN: '' };
  }

  async start(timeoutMs = 30_000): Promise<void> {
    const port = await freePort();
    this.endpoint = `http://127.0.0.1:${port}`;
    this.child = spawn(pythonTool('moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk) => (this.output += chunk));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`moto_server exited (${this.child.exitCode}):\n${this.output.slice(-2000)}`);
      const up = await fetch(`${this.endpoint}/moto-api/`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${this.endpoint} within ${timeoutMs} ms:\n${this.output.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** A secret in the emulator's Secrets Manager, its name made unique; returns its ARN. */
  createSecret(name: string, value: object): Promise<string> {
    return this.secrets(async (client) => {
      const created = await client.send(new CreateSecretCommand({ Name: `${name}-${randomUUID()}`, SecretString: JSON.stringify(value) }));
      return created.ARN!;
    });
  }

  /** A new value for a secret, as a rotation's last step puts it. */
  putSecretValue(arn: string, value: object): Promise<void> {
    return this.secrets(async (client) => void (await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify(value) }))));
  }

  private async secrets<T>(op: (client: SecretsManagerClient) => Promise<T>): Promise<T> {
    const client = new SecretsManagerClient({
      endpoint: this.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    try {
      return await op(client);
    } finally {
      client.destroy();
    }
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child!.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
