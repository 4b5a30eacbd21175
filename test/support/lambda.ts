// Loads a function's handler module as Lambda would at cold start (configuration read from the
// environment at import), invokes it with a Lambda-like context, and captures what it printed.
import type { Context } from 'aws-lambda';

export interface LoadedFunction<E, R> {
  invoke(event: E): Promise<R>;
  close(): Promise<unknown>;
}

export function loadFunction<E, R>(modulePath: string, env: Record<string, string>): LoadedFunction<E, R> {
  const saved = { ...process.env };
  // What serverless.yml gives each function: its key (functions/write-users → writeUsers).
  const key = modulePath
    .split('/')
    .slice(-2, -1)[0]
    .replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
  Object.assign(process.env, { POWERTOOLS_SERVICE_NAME: key }, env);
  let loaded: { handler: (event: E, context: Context) => Promise<R>; closeConnections: () => Promise<unknown> } | undefined;
  try {
    jest.isolateModules(() => {
      loaded = require(modulePath); // eslint-disable-line @typescript-eslint/no-require-imports
    });
  } finally {
    process.env = saved;
  }
  const { handler, closeConnections } = loaded!;
  const name = modulePath.split('/').slice(-2, -1)[0];
  return {
    invoke: (event) => handler(event, lambdaContext(name)),
    close: closeConnections,
  };
}

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: `test-${Date.now()}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Everything written to stdout and stderr while `action` runs (logs and EMF metrics), echoed on. */
export async function captureOutput<T>(action: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; output: string }> {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }),
  );
  try {
    const result = await action();
    return { result, error: undefined, output: chunks.join('') };
  } catch (error) {
    return { result: undefined, error, output: chunks.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
