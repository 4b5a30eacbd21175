// Builds the KafkaJS client for the configured access mode: plaintext locally, SASL/SCRAM-SHA-512 with
// Secrets Manager credentials (self-managed Kafka, MSK), or MSK IAM through OAUTHBEARER tokens.
import { Kafka, logLevel, type logCreator, type SASLOptions } from 'kafkajs';
import type { KafkaConfig } from './config';
import { LoginRefusedError } from './errors';
import { readCredentials, readRootCertificate } from './secrets';

export interface WarningSink {
  warn(message: string, extra: Record<string, unknown>): void;
}

const IDEMPOTENT_RETRIES_WARNING = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';

/** KafkaJS logs through the function's logger, warnings and errors only, as structured fields. */
function kafkaLogCreator(sink: WarningSink): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      if (level > logLevel.WARN) return;
      const { message, broker, error, clientId } = log as { message: string; broker?: string; error?: string; clientId?: string };
      // Retries are limited on purpose (a Lambda must fail within its timeout, and the schedule or
      // the mapping retries the invocation); the producer stays idempotent for the retries it makes.
      // See "What the pipeline guarantees" in the README. KafkaJS says so at every cold start.
      if (message === IDEMPOTENT_RETRIES_WARNING) return;
      sink.warn(`kafkajs: ${message}`, { kafkaNamespace: namespace, broker, error, clientId });
    };
}

/** The SASL options for the access mode (exported for its test). */
export async function saslFor(config: KafkaConfig): Promise<SASLOptions | undefined> {
  switch (config.auth.mode) {
    case 'none':
      return undefined;
    case 'scram': {
      const { username, password } = await readCredentials(config.auth.secretArn);
      return { mechanism: 'scram-sha-512', username, password };
    }
    case 'iam': {
      const region = config.auth.region;
      // Bundled, and loaded only by a stage on MSK IAM, so other stages' cold starts do not pay for it.
      const { generateAuthToken } = await import('aws-msk-iam-sasl-signer-js');
      return {
        mechanism: 'oauthbearer',
        oauthBearerProvider: async () => {
          const { token } = await generateAuthToken({ region });
          return { value: token };
        },
      };
    }
  }
}

/** TLS as configured; a private root CA replaces Node's public roots for the brokers (exported for its test). */
export async function tlsFor(config: KafkaConfig): Promise<boolean | { ca: string[] }> {
  if (!config.ssl || config.rootCaSecretArn === undefined) return config.ssl;
  return { ca: [await readRootCertificate(config.rootCaSecretArn)] };
}

export async function createKafka(config: KafkaConfig, sink: WarningSink): Promise<Kafka> {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: await tlsFor(config),
    sasl: await saslFor(config),
    // Fail within seconds when brokers are down: a Lambda's timeout is short and the schedule retries.
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    logCreator: kafkaLogCreator(sink),
  });
}

/** Where the client's credentials come from, for an error that says what to fix. */
function credentialsSource(config: KafkaConfig): string {
  switch (config.auth.mode) {
    case 'none':
      return 'nowhere (KAFKA_AUTH=none): the brokers demand a login, so set KAFKA_AUTH';
    case 'scram':
      return `the secret KAFKA_SASL_SECRET_ARN=${config.auth.secretArn} (SASL/SCRAM-SHA-512)`;
    case 'iam':
      return "the function's IAM role (MSK IAM, kafka-cluster:Connect)";
  }
}

/** KafkaJS's failed SASL handshake as a LoginRefusedError; any other error unchanged. */
export function loginRefused(config: KafkaConfig, error: unknown): unknown {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'KafkaJSSASLAuthenticationError' ? new LoginRefusedError('Kafka', config.brokers, credentialsSource(config), error) : error;
}
