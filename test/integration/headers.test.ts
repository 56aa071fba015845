import { connect } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Security headers (helmet, server/app.ts) on every kind of answer: API JSON,
 * API errors (including those raised before a route runs: malformed JSON, too
 * large, unknown path), downloads, the web client's HTML and its assets. The
 * Content Security Policy is checked directive by directive: scripts from our
 * own origin only (no 'unsafe-eval', no 'unsafe-inline', no other origin), no
 * framing, no plugins. API answers are never cached (Cache-Control: no-store).
 */

let server: TestServer;
let api: ApiClient;
let clientDist: string;
let token: string;

beforeAll(async () => {
  clientDist = await mkdtemp(path.join(tmpdir(), 'zz-headers-client-'));
  await mkdir(path.join(clientDist, 'assets'));
  await writeFile(path.join(clientDist, 'index.html'), '<!doctype html><title>招生平台</title><div id="app"></div><script type="module" src="/assets/index-abc.js"></script>');
  await writeFile(path.join(clientDist, 'assets', 'index-abc.js'), 'console.log("app")');
  server = await startTestServer({ env: { CLIENT_DIST: clientDist } });
  api = apiClient(server.url);
  const bureau = await createAccount(server.prisma, 'bureau');
  token = await api.login(bureau.username, bureau.password);
});

afterAll(async () => {
  await server?.stop();
  if (clientDist) await rm(clientDist, { recursive: true, force: true });
});

/** The CSP header as a map of directive -> sources. */
function directives(header: string | null): Map<string, string[]> {
  expect(header, 'Content-Security-Policy header').toBeTruthy();
  return new Map(
    header!
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name, sources] as [string, string[]];
      }),
  );
}

/** What every answer of the server carries, API or client. */
function expectHelmetHeaders(headers: Headers, what: string) {
  const csp = directives(headers.get('content-security-policy'));
  expect(csp.get('default-src'), what).toEqual(["'self'"]);
  expect(csp.get('script-src'), what).toEqual(["'self'"]);
  expect(csp.get('script-src-attr'), what).toEqual(["'none'"]);
  expect(csp.get('object-src'), what).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(csp.get('base-uri'), what).toEqual(["'self'"]);
  expect(csp.get('form-action'), what).toEqual(["'self'"]);
  expect(csp.get('connect-src'), what).toEqual(["'self'"]);
  // Inline styles only (Element Plus positions popovers with style attributes); images and fonts from us or data: URLs.
  expect(csp.get('style-src'), what).toEqual(["'self'"]);
  expect(csp.get('img-src'), what).toEqual(["'self'", 'data:', 'blob:']);
  expect(csp.get('font-src'), what).toEqual(["'self'", 'data:']);
  const everySource = [...csp.values()].flat();
  expect(everySource, what).not.toContain("'unsafe-eval'");
  expect(everySource, what).not.toContain("'wasm-unsafe-eval'");
  expect(everySource.filter((s) => s === '*' || /^https?:/.test(s) || s === 'http:' || s === 'https:'), `${what}: no other origin`).toEqual([]);
  // No fallback source for scripts or frames beyond the ones checked above.
  expect([...csp.keys()].filter((d) => /^(script-src-elem|frame-src|child-src|prefetch-src)$/.test(d)), what).toEqual([]);

  expect(headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(headers.get('strict-transport-security'), what).toBe('max-age=31536000; includeSubDomains');
  expect(headers.get('x-frame-options'), what).toBe('DENY');
  expect(headers.get('cross-origin-opener-policy'), what).toBe('same-origin');
  expect(headers.get('cross-origin-resource-policy'), what).toBe('same-origin');
  expect(headers.get('origin-agent-cluster'), what).toBe('?1');
  expect(headers.get('x-dns-prefetch-control'), what).toBe('off');
  expect(headers.get('x-download-options'), what).toBe('noopen');
  expect(headers.get('x-permitted-cross-domain-policies'), what).toBe('none');
  expect(headers.get('x-xss-protection'), what).toBe('0');
  expect(headers.get('x-powered-by'), what).toBeNull();
  // No CORS: the client is served from the same origin.
  expect(headers.get('access-control-allow-origin'), what).toBeNull();
}

describe('API answers', () => {
  it('carry the security headers and Cache-Control: no-store, whatever the outcome', async () => {
    const answers = {
      'a public route': await api.get('/api/health'),
      'a signed-in route': await api.get('/api/auth/me', { token }),
      'sign-in required (401)': await api.get('/api/auth/me'),
      'a forbidden route (403)': await api.get('/api/audit', { token }),
      'an unknown API path (404)': await api.get('/api/no-such-thing'),
      'a validation error (400)': await api.post('/api/auth/login', {}),
      'malformed JSON (400)': await api.request('POST', '/api/auth/login', undefined, { rawBody: '{"username":' }),
      'a body over the limit (413)': await api.request('POST', '/api/auth/login', undefined, { rawBody: JSON.stringify({ username: 'x'.repeat(1_100_000) }) }),
      'an Excel download': await api.get('/api/imports/templates/students', { token }),
      'the OpenAPI document': await api.get('/api/openapi.json'),
    };
    for (const [what, res] of Object.entries(answers)) {
      expectHelmetHeaders(res.headers, what);
      expect(res.headers.get('cache-control'), what).toBe('no-store');
      expect(res.headers.get('x-request-id'), what).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(answers['malformed JSON (400)'].status).toBe(400);
    expect(answers['a body over the limit (413)'].status).toBe(413);
    expect(answers['a public route'].headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('send downloads as attachments, never to be shown inline', async () => {
    const template = await api.get('/api/imports/templates/students', { token });
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(template.headers.get('content-disposition')).toMatch(/^attachment; /);
  });

  it('ignore a request id that is not an id, so it cannot be used to forge log lines', async () => {
    for (const forged of ['"} {"level":60,"msg":"forged', 'x'.repeat(65), '<script>alert(1)</script>']) {
      const res = await api.get('/api/health', { headers: { 'x-request-id': forged } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const kept = await api.get('/api/health', { headers: { 'x-request-id': 'lb-1234.abcd:5' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-1234.abcd:5');
  });
});

describe('requests Node refuses before the app sees them', () => {
  const raw = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const { port, hostname } = new URL(server.url);
      const socket = connect(Number(port), hostname, () => socket.end(request));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });

  it('answer a URL over 16 KB with 431 and the JSON error body', async () => {
    const res = await fetch(`${server.url}/api/student/result?x=${'a'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect((await res.json()).error).toMatchObject({ code: 'HEADERS_TOO_LARGE', message: '请求地址或请求头过长' });
  });

  it('answer broken HTTP with 400 and the JSON error body', async () => {
    const answer = await raw('GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toBe('BAD_REQUEST_SYNTAX');
  });
});

describe('the web client', () => {
  it('serves its page and assets with the same headers, the page never cached and the assets immutable', async () => {
    const answers = {
      'the root page': await api.get('/'),
      'a client route': await api.get('/bureau/rounds'),
      'an asset': await api.get('/assets/index-abc.js'),
      'a missing asset (404)': await fetch(`${server.url}/assets/nope.js`, { method: 'POST' }).then((r) => ({ headers: r.headers, status: r.status })),
    };
    for (const [what, res] of Object.entries(answers)) expectHelmetHeaders(res.headers, what);
    expect(answers['the root page'].headers.get('content-type')).toContain('text/html');
    expect(answers['the root page'].headers.get('cache-control')).toBe('no-cache');
    expect(answers['a client route'].headers.get('cache-control')).toBe('no-cache');
    expect(answers['an asset'].headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(answers['an asset'].headers.get('content-type')).toContain('javascript');
  });
});
