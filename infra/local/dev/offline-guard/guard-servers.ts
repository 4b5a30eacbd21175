// sls offline's servers take requests from programs only. Its Lambda endpoint invokes any function
// with any event on a POST, answers every origin (serverless-offline's CORS default is `*`), and
// checks no Host: a web page the developer visits could invoke writeUsers with forged records, or
// read the answers through a rebinding DNS name. serverless-offline keeps its hapi servers private,
// so the guard goes where every hapi server passes: the start of the server class they share.
import type { Lifecycle, Request, ResponseToolkit, Server } from '@hapi/hapi';
import { hapiServerPrototype } from '../../../framework-internals';
import { checkProgramRequest } from '../request-guard';

const GUARDED = Symbol.for('realtime-data-streaming.offline-guard');

interface HapiModule {
  server(options?: object): Server;
}

/**
 * Refuses, on every hapi server of this process started from now on, a request not addressed to it
 * by name or sent by a web page (403, with the reason). `log` hears each refusal, without its body.
 * Idempotent: the servers share one class, patched once.
 */
export function guardHapiServers(hapi: HapiModule, log: (line: string) => void): void {
  const prototype = hapiServerPrototype(hapi) as Server & { [GUARDED]?: true };
  if (prototype[GUARDED]) return;
  const start = prototype.start;
  prototype.start = async function (this: Server) {
    this.ext('onRequest', (request: Request, h: ResponseToolkit): Lifecycle.ReturnValue => {
      const port = request.server.info.port as number;
      const verdict = checkProgramRequest(request.raw.req.headers, port, `sls offline's server on port ${port}`);
      if (verdict.ok) return h.continue;
      log(`refused ${request.method.toUpperCase()} ${request.path}: ${verdict.reason}`);
      return h.response({ message: verdict.reason }).code(verdict.status).takeover();
    });
    return start.call(this);
  };
  prototype[GUARDED] = true;
}
