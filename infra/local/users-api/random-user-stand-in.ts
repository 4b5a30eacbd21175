// A local stand-in for https://randomuser.me/api/ (this project's machines have no internet): serves
// the recorded users for `?results=N` (the tests' ground truth), or users generated in the API's
// shape (`npm run users-api`: new users every call, seed/page/nat/inc/exc honoured), and, on request,
// the API's real failure modes in order.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateResponse, readGenerateRequest, UnknownParameterError } from './generated-users';
import { recordedResponse, recordedUsers } from './recorded-users';

export type StandInReply =
  | { kind: 'users' }
  | { kind: 'status'; status: number; body?: string; retryAfter?: string }
  | { kind: 'overloaded'; status?: number }
  | { kind: 'garbage' }
  | { kind: 'hang' }
  | { kind: 'reset' };

/** The recorded users, repeated to fill `results`; or users generated per request. */
export type UserSource = unknown[] | 'generated';

export interface StandInRequest {
  path: string;
  results: number;
  /** Every query parameter as sent, `results` included. */
  query: Record<string, string>;
}

export class RandomUserStandIn {
  readonly requests: StandInRequest[] = [];
  /** login.uuid of every user sent, in order: what a drill counts downstream. */
  readonly servedIds: string[] = [];
  private readonly script: StandInReply[] = [];
  private fallback: StandInReply = { kind: 'users' };
  private readonly server: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();

  constructor(private readonly source: UserSource = recordedUsers()) {
    this.server = http.createServer((req, res) => this.reply(req, res));
  }

  /** Replies for the next requests, in order; after them, `then` (default: users). */
  respondWith(replies: StandInReply[], then: StandInReply = { kind: 'users' }): this {
    this.script.splice(0, this.script.length, ...replies);
    this.fallback = then;
    return this;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, host, resolve));
    const address = this.server.address() as AddressInfo;
    return `http://${host}:${address.port}/api/`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private reply(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const results = Math.max(1, Number(url.searchParams.get('results') ?? '1') || 1);
    this.requests.push({ path: url.pathname, results, query: Object.fromEntries(url.searchParams) });
    const reply = this.script.shift() ?? this.fallback;
    switch (reply.kind) {
      case 'users':
        return this.sendUsers(res, url, results);
      case 'status':
        return this.send(res, reply.status, reply.body ?? '', reply.retryAfter ? { 'retry-after': reply.retryAfter } : {});
      case 'overloaded':
        // What the real API sends when busy.
        return this.send(
          res,
          reply.status ?? 200,
          JSON.stringify({ error: 'Uh oh, something has gone wrong. Please tweet us @randomapi about the issue. Thank you.' }),
        );
      case 'garbage':
        return this.send(res, 200, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' });
      case 'hang':
        this.hanging.add(res);
        return;
      case 'reset':
        // The connection dropped mid-request, as a flaky network or proxy does.
        req.socket.destroy();
        return;
    }
  }

  private sendUsers(res: http.ServerResponse, url: URL, results: number): void {
    if (this.source !== 'generated') {
      const users = Array.from({ length: results }, (_, i) => (this.source as unknown[])[i % (this.source as unknown[]).length]);
      this.remember(users);
      return this.send(res, 200, JSON.stringify({ results: users, info: { ...recordedResponse().info, results } }));
    }
    try {
      const response = generateResponse(readGenerateRequest(url.searchParams));
      this.remember(response.results);
      return this.send(res, 200, JSON.stringify(response));
    } catch (error) {
      if (!(error instanceof UnknownParameterError)) throw error;
      return this.send(res, 400, JSON.stringify({ error: error.message }));
    }
  }

  private remember(users: unknown[]): void {
    for (const user of users) {
      const uuid = (user as { login?: { uuid?: unknown } } | null)?.login?.uuid;
      if (typeof uuid === 'string') this.servedIds.push(uuid);
    }
  }

  private send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  }
}
