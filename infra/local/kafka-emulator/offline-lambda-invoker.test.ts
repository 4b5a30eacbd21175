import type { LambdaKafkaEvent } from '../../../contract/lambda-kafka-event';
import { offlineLambdaInvoker, type OfflineLambda } from './offline-lambda-invoker';

const event: LambdaKafkaEvent = { eventSource: 'SelfManagedKafka', bootstrapServers: 'k:9092', records: {} };

/** serverless-offline's pool, reduced to what the invoker touches: each instance runs `run` on its event. */
function pool(run: (event: unknown) => Promise<unknown>) {
  const calls: Array<{ name: string; event: unknown }> = [];
  const lambda: OfflineLambda = {
    create: () => undefined,
    getByFunctionName: (name) => {
      let current: unknown;
      return {
        setEvent: (e) => {
          current = e;
          calls.push({ name, event: e });
        },
        runHandler: () => run(current),
      };
    },
    cleanup: async () => undefined,
  };
  return { lambda, calls };
}

describe('invoking a function in serverless-offline’s Lambda runtime', () => {
  it('runs the named function on the event and answers with its response as JSON would carry it', async () => {
    const { lambda, calls } = pool(async () => ({ batchItemFailures: [{ itemIdentifier: 'a' }], at: new Date(0), gone: undefined }));
    const outcome = await offlineLambdaInvoker(lambda)('svc-local-writeUsers', event);
    expect(calls).toEqual([{ name: 'svc-local-writeUsers', event }]);
    expect(outcome).toStrictEqual({ ok: true, response: { batchItemFailures: [{ itemIdentifier: 'a' }], at: '1970-01-01T00:00:00.000Z' } });
  });

  it('answers undefined for a function that returned nothing', async () => {
    expect(await offlineLambdaInvoker(pool(async () => undefined).lambda)('f', event)).toStrictEqual({ ok: true, response: undefined });
  });

  it('reports a thrown error, a rejection or serverless-offline’s timeout as a failed invocation with its message', async () => {
    const failing = (error: unknown) => offlineLambdaInvoker(pool(() => Promise.reject(error)).lambda)('f', event);
    expect(await failing(new TypeError('writeUsers expects a Kafka event'))).toEqual({ ok: false, error: 'writeUsers expects a Kafka event' });
    expect(await failing(new Error('[504] - Lambda timeout.'))).toEqual({ ok: false, error: '[504] - Lambda timeout.' });
    expect(await failing('a string')).toEqual({ ok: false, error: 'a string' });
  });
});
