// Invokes a function inside serverless-offline through its own Lambda runtime: the public
// `serverless-offline/lambda` export, the seam serverless-offline's event plugins (SQS, streams) use.
// The function runs as under the Lambda Invoke endpoint (a worker thread per concurrent invocation,
// the same environment, handler, bundle and timeout), but the event reaches the worker without being
// written as JSON, sent over HTTP and parsed again in this process, which cost the emulator's thread
// a third of its time per record. What AWS's JSON would change is checked where the event is built:
// the event is plain JSON data (`isPlainJson`), so the worker receives what it would have parsed.
import type { LambdaKafkaEvent } from '../../../contract/lambda-kafka-event';
import type { InvokeOutcome } from './kafka-event-source-emulator';

/** What this uses of serverless-offline's `Lambda` (serverless-offline/src/lambda/Lambda.js). */
export interface OfflineLambda {
  create(lambdas: Array<{ functionKey: string; functionDefinition: unknown }>): void;
  getByFunctionName(functionName: string): { setEvent(event: unknown): void; runHandler(): Promise<unknown> };
  cleanup(): Promise<unknown>;
}

export function offlineLambdaInvoker(lambda: OfflineLambda) {
  return async function invoke(functionName: string, event: LambdaKafkaEvent): Promise<InvokeOutcome> {
    // get, setEvent and runHandler in one tick, as serverless-offline's endpoint does: runHandler marks
    // the instance busy before anything else can take it, and a busy pool starts another worker.
    const fn = lambda.getByFunctionName(functionName);
    fn.setEvent(event);
    try {
      const response = await fn.runHandler();
      // The response crosses as JSON in AWS: what the function returned, as the mapping would read it.
      return { ok: true, response: response === undefined ? undefined : (JSON.parse(JSON.stringify(response)) as unknown) };
    } catch (error) {
      // A thrown error, a rejected promise, or serverless-offline's "[504] - Lambda timeout.".
      return { ok: false, error: (error as Error)?.message || String(error) };
    }
  };
}
