import hapi from '@hapi/hapi';
import http from 'node:http';
import { guardHapiServers } from './guard-servers';

/** A raw request, so Host and Origin are exactly what a browser (or an attacker's page) would send. */
function post(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/2015-03-31/functions/writeUsers/invocations', headers: { 'content-type': 'text/plain', ...headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end('{"records":{}}');
  });
}

describe("sls offline's hapi servers, guarded", () => {
  const invoked: string[] = [];
  const refusals: string[] = [];
  let server: hapi.Server;
  let port: number;

  beforeAll(async () => {
    guardHapiServers(hapi, (line) => refusals.push(line));
    guardHapiServers(hapi, (line) => refusals.push(`twice: ${line}`));
    // As serverless-offline builds its Lambda server: created after the guard, CORS open to all.
    server = hapi.server({ host: '127.0.0.1', port: 0 });
    server.route({
      method: 'POST',
      path: '/2015-03-31/functions/{name}/invocations',
      options: { cors: { origin: ['*'] }, payload: { parse: false } },
      handler: (request) => {
        invoked.push(String(request.params.name));
        return { ok: true };
      },
    });
    await server.start();
    port = server.info.port as number;
  });
  afterAll(() => server.stop());

  it('invokes for a program that addresses it as 127.0.0.1 or localhost', async () => {
    expect(await post(port, { host: `127.0.0.1:${port}`, 'sec-fetch-mode': 'cors' })).toEqual({ status: 200, body: '{"ok":true}' });
    expect((await post(port, { host: `localhost:${port}` })).status).toBe(200);
    expect(invoked).toEqual(['writeUsers', 'writeUsers']);
  });

  it.each([
    ['a forged Origin (a form posted from another site)', { origin: 'https://evil.example' }],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
    ['a foreign Host (a rebinding DNS name)', { host: 'rebound.example:3002' }],
  ])('refuses %s with 403 and a reason, and invokes nothing', async (_what, headers) => {
    const before = invoked.length;
    const answer = await post(port, { host: `127.0.0.1:${port}`, ...headers });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).message).toMatch(new RegExp(`sls offline's server on port ${port}`));
    expect(invoked.length).toBe(before);
  });

  it('refuses the CORS preflight too, and logs each refusal once, without the body', async () => {
    const preflight = await new Promise<number>((resolve, reject) => {
      http
        .request(
          {
            host: '127.0.0.1',
            port,
            method: 'OPTIONS',
            path: '/2015-03-31/functions/writeUsers/invocations',
            headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
          },
          (res) => resolve(res.statusCode ?? 0),
        )
        .on('error', reject)
        .end();
    });
    expect(preflight).toBe(403);
    expect(refusals.length).toBe(4);
    expect(refusals.every((line) => line.startsWith('refused ') && !line.includes('records') && !line.startsWith('twice'))).toBe(true);
  });
});
