// Structured JSON logs and CloudWatch metrics (EMF) for both functions, through Powertools. The
// narrow Log and Meter interfaces are what the domain needs, so tests and benchmarks can pass their own.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { ConfigurationError } from './errors';
import { METRICS_NAMESPACE } from './metrics-namespace';

/**
 * What a log line reports, as its `event` field: tools that read the logs (the local console) match
 * these names, never the wording of a message, which stays free to change.
 */
export const LOG_EVENTS = {
  /** produceUsers published a run's users (`published`, `fetched`, `rejected`). */
  usersProduced: 'users-produced',
  /** produceUsers' run failed and published nothing (`code`). */
  produceFailed: 'produce-failed',
  /** writeUsers handled a batch (`written`, `deadLettered`, `failed`). */
  batchWritten: 'batch-written',
} as const;

export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface Meter {
  count(name: string, value: number): void;
  milliseconds(name: string, value: number): void;
}

/**
 * The function's logger and metrics, named after its key in serverless.yml: the deployment plugin
 * sets POWERTOOLS_SERVICE_NAME to that key for every function, locally and in AWS.
 */
export function createObservability(serviceName = process.env.POWERTOOLS_SERVICE_NAME): { logger: Logger; metrics: Metrics; meter: Meter } {
  if (!serviceName) {
    throw new ConfigurationError(['POWERTOOLS_SERVICE_NAME is required: serverless.yml gives each function its key (run it through sls, or set it)']);
  }
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  const meter: Meter = {
    count: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
    milliseconds: (name, value) => metrics.addMetric(name, MetricUnit.Milliseconds, value),
  };
  return { logger, metrics, meter };
}
