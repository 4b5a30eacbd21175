import { ConfigurationError } from './errors';
import { createObservability } from './observability';
import { METRICS_NAMESPACE } from './metrics-namespace';

describe('observability', () => {
  it('refuses to start without the function’s service name, and says where it comes from', () => {
    expect(() => createObservability('')).toThrow(ConfigurationError);
    expect(() => createObservability(undefined)).toThrow(
      'POWERTOOLS_SERVICE_NAME is required: serverless.yml gives each function its key (run it through sls, or set it)',
    );
  });

  it('emits counts and durations as CloudWatch metrics in the project’s namespace, per service', () => {
    const { metrics, meter } = createObservability('writeUsers');
    meter.count('Written', 98);
    meter.milliseconds('WriteLatency', 412);
    const emf = metrics.serializeMetrics();
    expect(METRICS_NAMESPACE).toBe('RealtimeDataStreaming');
    expect(emf._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'RealtimeDataStreaming',
        Dimensions: [['service']],
        Metrics: [
          { Name: 'Written', Unit: 'Count' },
          { Name: 'WriteLatency', Unit: 'Milliseconds' },
        ],
      },
    ]);
    expect(emf).toMatchObject({ service: 'writeUsers', Written: 98, WriteLatency: 412 });
  });

  it('logs as the named service', () => {
    const { logger } = createObservability('produceUsers');
    const lines: string[] = [];
    // Powertools writes JSON lines through a console of its own on stdout.
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      logger.info('produced users', { published: 3 });
    } finally {
      write.mockRestore();
    }
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'produced users', service: 'produceUsers', published: 3 }),
    ]);
  });
});
