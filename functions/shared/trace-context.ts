// The trace context a record carries from the produceUsers invocation that published it to every row,
// retry and dead letter it becomes: W3C Trace Context's `traceparent` header
// (https://www.w3.org/TR/trace-context/#traceparent-header), read by any OpenTelemetry tool. In Lambda
// it is the invocation's own X-Ray trace (the runtime sets _X_AMZN_TRACE_ID for free, active tracing
// or not), written in W3C form as AWS's X-Ray documents it: the Root without its dashes, the Parent
// segment, the Sampled flag. Without one (a test, sls invoke local) a fresh random trace is started.
import { randomBytes } from 'node:crypto';

export const TRACEPARENT_HEADER = 'traceparent';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const XRAY = /(?:^|;)Root=1-([0-9a-f]{8})-([0-9a-f]{24})(?:;|$)/;

export interface TraceContext {
  traceparent: string;
  /** The 32-hex trace id: what logs and dead letters are searched by. */
  traceId: string;
}

/** The invocation's trace, from Lambda's X-Ray header when the runtime gave one, else a new one. */
export function invocationTrace(xrayHeader: string | undefined, random: (bytes: number) => Buffer = randomBytes): TraceContext {
  const root = xrayHeader ? XRAY.exec(xrayHeader) : null;
  if (root) {
    const parent = /(?:^|;)Parent=([0-9a-f]{16})(?:;|$)/.exec(xrayHeader!)?.[1] ?? random(8).toString('hex');
    const sampled = /(?:^|;)Sampled=1(?:;|$)/.test(xrayHeader!) ? '01' : '00';
    return trace(`${root[1]}${root[2]}`, parent, sampled);
  }
  return trace(random(16).toString('hex'), random(8).toString('hex'), '00');
}

/** The trace a record's `traceparent` header names, or undefined for none or a malformed one. */
export function traceOf(header: string | Buffer | undefined): TraceContext | undefined {
  const text = header?.toString();
  const match = text ? TRACEPARENT.exec(text) : null;
  // All-zero ids are invalid in W3C Trace Context.
  if (!match || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return undefined;
  return { traceparent: text!, traceId: match[1] };
}

function trace(traceId: string, parentId: string, flags: string): TraceContext {
  return { traceparent: `00-${traceId}-${parentId}-${flags}`, traceId };
}
