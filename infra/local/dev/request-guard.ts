// What the project's local servers accept. Every request must be addressed to them by name: its Host
// is one of the addresses they listen on, so a page behind a rebinding DNS name cannot read them. A
// request that changes state must come from their own page: no cross-site Origin or Sec-Fetch-Site,
// the token only that page carries, and a bounded body. Local development servers have been exploited
// through exactly these gaps (the Vite and webpack dev-server advisories). An endpoint meant for
// programs alone refuses whatever a browser sends.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

/** A redrive form is a few dozen bytes; anything near this is not from the page. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface Refusal {
  ok: false;
  status: 403 | 413;
  reason: string;
}
export type Verdict = { ok: true } | Refusal;

const OK: Verdict = { ok: true };
const refuse = (reason: string, status: 403 | 413 = 403): Refusal => ({ ok: false, status, reason });

/** A fresh secret for one server process, put into its own page's forms. */
export function newFormToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The Host values that name this server: the loopback addresses it listens on, and localhost. */
export function hostsOf(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function checkHost(host: string | undefined, port: number, advice = 'open the console at that address'): Verdict {
  if (host !== undefined && hostsOf(port).has(host.toLowerCase())) return OK;
  return refuse(`Host "${host ?? ''}" is not this server (http://127.0.0.1:${port}/): ${advice}`);
}

/**
 * For an endpoint that only programs call (sls offline's Lambda Invoke API, which the emulator and
 * the AWS SDK use): addressed to it by name, and not from a browser. Browsers send `Origin` with every
 * cross-origin request and every POST, and `Sec-Fetch-Site` with every request; Node's fetch and the
 * AWS SDK send neither. `what` names the endpoint in the refusal.
 */
export function checkProgramRequest(headers: http.IncomingHttpHeaders, port: number, what: string): Verdict {
  const addressed = checkHost(headers.host, port, `call ${what} at that address`);
  if (!addressed.ok) return addressed;
  const site = headers['sec-fetch-site'];
  if (headers.origin !== undefined || (site !== undefined && site !== 'none')) {
    return refuse(
      `a request from a web page (Origin "${headers.origin ?? ''}", Sec-Fetch-Site "${site ?? ''}"): ${what} takes requests from programs on this machine only (the AWS SDK, the emulator, curl)`,
    );
  }
  return OK;
}

/** For a request that changes state: from this server's own page, carrying its token. */
export function checkStateChange(headers: http.IncomingHttpHeaders, port: number, sentToken: string | null, token: string): Verdict {
  const origin = headers.origin;
  if (origin !== undefined && !hostsOf(port).has(origin.replace(/^http:\/\//, '').toLowerCase())) {
    return refuse(`Origin "${origin}" is not this console: a redrive is taken only from the console's own page`);
  }
  if (headers['sec-fetch-site'] === 'cross-site') return refuse('a cross-site request: a redrive is taken only from the console’s own page');
  const sent = Buffer.from(sentToken ?? '');
  const expected = Buffer.from(token);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    return refuse('the form token is missing or stale: reload the console page and use its button');
  }
  return OK;
}

/** The body as text, or a refusal once it passes `max` bytes (the rest is not read). */
export function readBoundedBody(req: http.IncomingMessage, max = MAX_BODY_BYTES): Promise<{ ok: true; text: string } | Refusal> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) return Promise.resolve(refuse(`a body of ${declared} bytes; at most ${max}`, 413));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.pause();
        resolve(refuse(`a body of more than ${max} bytes`, 413));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
  });
}
