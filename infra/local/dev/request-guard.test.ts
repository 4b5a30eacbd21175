import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkHost, checkProgramRequest, checkStateChange, hostsOf, MAX_BODY_BYTES, newFormToken, readBoundedBody } from './request-guard';

describe('the Host a local server answers', () => {
  it('is one of the addresses it listens on, by IP or localhost, in any case', () => {
    expect([...hostsOf(3100)]).toEqual(['127.0.0.1:3100', 'localhost:3100']);
    expect(checkHost('127.0.0.1:3100', 3100)).toEqual({ ok: true });
    expect(checkHost('LOCALHOST:3100', 3100)).toEqual({ ok: true });
  });

  it.each([['attacker.example:3100'], ['127.0.0.1:3101'], ['127.0.0.1'], [undefined]])('refuses Host %s, the form a rebinding DNS name takes', (host) => {
    expect(checkHost(host, 3100)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('a request that changes state', () => {
  const token = newFormToken();

  it('is taken from the page itself: its own Origin (or none, as curl sends) and its token', () => {
    expect(checkStateChange({ origin: 'http://127.0.0.1:3100' }, 3100, token, token)).toEqual({ ok: true });
    expect(checkStateChange({}, 3100, token, token)).toEqual({ ok: true });
  });

  it('is refused from another origin, even with the token', () => {
    const verdict = checkStateChange({ origin: 'https://evil.example' }, 3100, token, token);
    expect(verdict).toMatchObject({ ok: false, status: 403 });
    expect(checkStateChange({ 'sec-fetch-site': 'cross-site' }, 3100, token, token)).toMatchObject({ ok: false, status: 403 });
  });

  it('is refused without the token, or with another', () => {
    expect(checkStateChange({ origin: 'http://127.0.0.1:3100' }, 3100, null, token)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('reload the console page'),
    });
    expect(checkStateChange({}, 3100, newFormToken(), token)).toMatchObject({ ok: false, status: 403 });
    expect(checkStateChange({}, 3100, token.slice(1), token)).toMatchObject({ ok: false, status: 403 });
  });

  it('gives each server process a token of its own', () => {
    expect(newFormToken()).not.toBe(newFormToken());
    expect(newFormToken()).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

describe('a request to an endpoint for programs only', () => {
  const what = "sls offline's Lambda endpoint";

  it('is taken from a program addressing it by name: no Origin, no Sec-Fetch-Site (Node fetch sends Sec-Fetch-Mode)', () => {
    expect(checkProgramRequest({ host: '127.0.0.1:3002', 'sec-fetch-mode': 'cors' }, 3002, what)).toEqual({ ok: true });
    expect(checkProgramRequest({ host: 'localhost:3002' }, 3002, what)).toEqual({ ok: true });
    expect(checkProgramRequest({ host: '127.0.0.1:3002', 'sec-fetch-site': 'none' }, 3002, what)).toEqual({ ok: true });
  });

  it.each([['attacker.example:3002'], ['127.0.0.1:3100'], [undefined]])('refuses Host %s', (host) => {
    expect(checkProgramRequest({ host }, 3002, what)).toMatchObject({ ok: false, status: 403, reason: expect.stringContaining(what) });
  });

  it.each([
    [{ origin: 'https://evil.example' }],
    [{ origin: 'http://127.0.0.1:3002' }],
    [{ origin: 'null' }],
    [{ 'sec-fetch-site': 'cross-site' }],
    [{ 'sec-fetch-site': 'same-site' }],
    [{ 'sec-fetch-site': 'same-origin' }],
  ])('refuses what a browser sends: %j', (headers) => {
    expect(checkProgramRequest({ host: '127.0.0.1:3002', ...headers }, 3002, what)).toMatchObject({
      ok: false,
      status: 403,
      reason: expect.stringContaining('from a web page'),
    });
  });
});

describe('a bounded body', () => {
  let server: http.Server;
  let port: number;
  const seen: unknown[] = [];
  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      const body = await readBoundedBody(req);
      seen.push(body);
      res.writeHead(body.ok ? 200 : body.status);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = (body: Buffer, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers })
      .then((r) => r.status)
      .catch(() => 'reset');

  it('is read whole up to the limit', async () => {
    expect(await post(Buffer.from('reason=not-json&token=x'))).toBe(200);
    expect(seen.at(-1)).toEqual({ ok: true, text: 'reason=not-json&token=x' });
  });

  it('is refused with 413 past the limit, declared or streamed', async () => {
    expect(await post(Buffer.alloc(MAX_BODY_BYTES + 1, 'a'))).toBe(413);
    expect(seen.at(-1)).toMatchObject({ ok: false, status: 413 });
  });
});
