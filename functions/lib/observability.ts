// Structured JSON logs and CloudWatch metrics (EMF) for both functions, through Powertools. The
// narrow Log and Meter interfaces are what the domain needs, so tests and benchmarks can pass their own.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'RealtimeDataStreaming';

export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface Meter {
  count(name: string, value: number): void;
  milliseconds(name: string, value: number): void;
}

export function createObservability(serviceName: string): { logger: Logger; metrics: Metrics; meter: Meter } {
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  const meter: Meter = {
    count: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
    milliseconds: (name, value) => metrics.addMetric(name, MetricUnit.Milliseconds, value),
  };
  return { logger, metrics, meter };
}
