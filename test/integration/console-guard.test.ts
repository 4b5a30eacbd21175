// The console npm start serves, on the real stack, refusing what does not come from its own page: a
// foreign Host (a rebinding DNS name), a cross-site Origin, a redrive without the page's token, an
// oversized body. test/e2e/npm-start.test.ts redrives from the page in a browser.
import http from 'node:http';
import { PipelineConsole } from '../../infra/local/dev/console-server';
import { FunctionActivity } from '../../infra/local/dev/function-activity';
import { MAX_BODY_BYTES } from '../../infra/local/dev/request-guard';
import { stackSettings } from '../../infra/local/stack/stack-settings';

interface Answer {
  status: number;
  body: string;
}

/** A raw request, so the Host and Origin headers are exactly the ones given. */
function request(port: number, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ status: 0, body: error.code }) : reject(error),
    );
    req.end(options.body);
  });
}

describe('the local console', () => {
  const console_ = new PipelineConsole(stackSettings(), [], new FunctionActivity(['produceUsers', 'writeUsers']), 60_000);
  let port: number;
  let host: string;
  let token: string;
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const post = (headers: Record<string, string>, body: string) =>
    request(port, { method: 'POST', path: '/dead-letters/redrive', headers: { host, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });

  beforeAll(async () => {
    port = Number(new URL(await console_.start(0)).port);
    host = `127.0.0.1:${port}`;
    const page = await request(port, { headers: { host } });
    expect(page.status).toBe(200);
    token = /name="token" value="([^"]+)"/.exec(page.body)![1];
  });
  afterAll(() => console_.stop());

  it('refuses a foreign Host on every path, as a page behind a rebinding DNS name would send', async () => {
    for (const path of ['/', '/api/status']) {
      const answer = await request(port, { path, headers: { host: `attacker.example:${port}` } });
      expect(answer.status).toBe(403);
      expect(answer.body).toContain('is not this server');
    }
    expect((await request(port, { path: '/api/status', headers: { host: `localhost:${port}` } })).status).toBe(200);
  });

  it('keeps the form token out of /api/status', async () => {
    expect((await request(port, { path: '/api/status', headers: { host } })).body).not.toContain(token);
  });

  it('refuses a redrive posted from another origin, even with the token', async () => {
    const answer = await post({ origin: 'https://attacker.example' }, form({ reason: 'not-json', token }));
    expect(answer).toMatchObject({ status: 403, body: expect.stringContaining('is not this console') });
  });

  it('refuses a redrive without the page’s token', async () => {
    expect((await post({ origin: `http://${host}` }, form({ reason: 'not-json' }))).status).toBe(403);
    expect((await post({ origin: `http://${host}` }, form({ reason: 'not-json', token: 'guessed' }))).status).toBe(403);
  });

  it('refuses an oversized body', async () => {
    const answer = await post({ origin: `http://${host}` }, form({ token, reason: 'x'.repeat(MAX_BODY_BYTES) }));
    expect([413, 0]).toContain(answer.status);
  });

  it('takes a redrive from its own page, with its token', async () => {
    const answer = await post({ origin: `http://${host}` }, form({ reason: 'no-such-reason', token }));
    expect(answer.status).toBe(303);
  });
});
