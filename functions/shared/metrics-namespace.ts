// The CloudWatch namespace of the functions' own metrics: observability.ts writes to it, and the
// deployment's alarms, dashboard and environment name it. A file of its own, so that reading it (as
// every sls command does through the stage settings) loads no Powertools.
export const METRICS_NAMESPACE = 'RealtimeDataStreaming';
