// Invokes a function inside serverless-offline through its Lambda Invoke endpoint, so the function
// runs with the same environment, handler, bundling and timeout as its other events.
import type { LambdaKafkaEvent } from '../../../contract/lambda-kafka-event';
import type { InvokeOutcome } from './kafka-event-source-emulator';

export function offlineLambdaInvoker(lambdaUrl: string, isStopping: () => boolean) {
  return async function invoke(functionName: string, event: LambdaKafkaEvent): Promise<InvokeOutcome> {
    const url = `${lambdaUrl}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`;
    for (;;) {
      let response: Response;
      try {
        // As bytes: a string body is checked character by character for lone surrogates (undici's
        // USVString conversion), which cost as much as the rest of the request for a 1 MB event.
        response = await fetch(url, { method: 'POST', body: Buffer.from(JSON.stringify(event)), headers: { 'content-type': 'application/json' } });
      } catch (error) {
        // serverless-offline's Lambda endpoint may not be listening yet: wait for it rather than count a failure.
        if (isStopping()) return { ok: false, error: 'stopping' };
        if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') {
          await new Promise((resolve) => setTimeout(resolve, 500));
          continue;
        }
        return { ok: false, error: `invoke request failed: ${(error as Error).message}` };
      }
      const text = await response.text();
      const payload = text === '' ? undefined : safeJson(text);
      if (response.status !== 200 || response.headers.has('x-amz-function-error')) {
        const message = (payload as { errorMessage?: string; Payload?: { Message?: string } } | undefined)?.errorMessage ?? text.slice(0, 300);
        return { ok: false, error: message || `HTTP ${response.status}` };
      }
      return { ok: true, response: payload };
    }
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
