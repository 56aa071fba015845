import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express, { type Express } from 'express';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors';
import type { PublicUser } from '../services/auth.service';
import { createAuthenticate, permit } from './authenticate';
import { errorHandler } from './error-handler';
import { pathOnly, requestLogger } from './logging';
import { requestContext } from './request-context';
import { validate } from './validate';

/** Express apps on a random port, without database or Redis: the middleware alone. */
const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(app: Express): Promise<string> {
  const server = await new Promise<ReturnType<Express['listen']>>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const user = (role: PublicUser['role']): PublicUser => ({
  id: `${role}-1`,
  username: role,
  role,
  displayName: role,
  mustChangePassword: false,
  totpEnabled: false,
  mustEnrollTotp: false,
  highSchoolId: null,
  juniorSchoolId: null,
  studentId: null,
  regionCode: null,
});

describe('validate', () => {
  const app = express();
  app.use(requestContext);
  app.use(express.json());
  app.post(
    '/items/:id',
    validate({
      params: z.object({ id: z.coerce.number().int() }),
      query: z.object({ page: z.coerce.number().int().min(1).default(1) }),
      body: z.object({ name: z.string().min(2), extra: z.string().optional() }).strict(),
    }),
    (req, res) => {
      res.json({ params: req.params, query: req.query, body: req.body });
    },
  );
  app.use(errorHandler);

  it('hands the handler parsed, coerced and defaulted data', async () => {
    const url = await serve(app);
    const res = await fetch(`${url}/items/42`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '株洲' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ params: { id: 42 }, query: { page: 1 }, body: { name: '株洲' } });
  });

  it('reports every problem, the first as `field: message`, in the caller\'s language', async () => {
    const url = await serve(app);
    const send = (lang: string) =>
      fetch(`${url}/items/x?page=0&lang=${lang}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'a' }) });
    const zh = await (await send('zh')).json();
    expect(zh.error.code).toBe('VALIDATION_FAILED');
    expect(zh.error.field).toBe('id');
    expect(zh.error.details.map((d: { field: string }) => d.field)).toEqual(['id', 'page', 'name']);
    expect(zh.error.message).toMatch(/^id: .*[\u4e00-\u9fff]/);
    const en = await (await send('en')).json();
    expect(en.error.message).toMatch(/^id: Invalid input/);
  });

  it('names the body when there is none', async () => {
    const url = await serve(app);
    const res = await fetch(`${url}/items/1`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe('body');
  });

  it('refuses a NUL character (which PostgreSQL cannot store) naming the field', async () => {
    const url = await serve(app);
    const res = await fetch(`${url}/items/1?lang=en`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '株洲', extra: 'a\u0000b' }) });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'extra' });
    expect(error.message).toBe('extra: must not contain a NUL character (\\u0000)');
  });
});

describe('authenticate and permit', () => {
  const tokens: Record<string, PublicUser> = { 'student-token': user('student'), 'bureau-token': user('bureau') };
  const pending = { ...user('junior'), mustChangePassword: true };
  const enrolling = { ...user('bureau'), mustEnrollTotp: true };
  const authenticate = createAuthenticate({
    authenticate: async (token: string) => {
      if (token === 'pending-token') return pending;
      if (token === 'enrolling-token') return enrolling;
      const found = tokens[token];
      if (!found) throw new AppError('SESSION_EXPIRED');
      return found;
    },
  });
  const app = express();
  app.use(requestContext);
  app.get('/bureau-only', authenticate(), permit('plan.change.list'), (req, res) => {
    res.json({ id: req.user!.id });
  });
  app.get('/me', authenticate({ allowPendingPasswordChange: true }), (req, res) => {
    res.json({ id: req.user!.id });
  });
  app.get('/enroll', authenticate({ allowPendingTotpEnrollment: true }), (req, res) => {
    res.json({ id: req.user!.id });
  });
  app.use(errorHandler);

  const get = async (path: string, token?: string) => {
    const url = await serve(app);
    const res = await fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: await res.json() };
  };

  it('lets an allowed role through', async () => {
    expect(await get('/bureau-only', 'bureau-token')).toEqual({ status: 200, body: { id: 'bureau-1' } });
  });

  it('carries its action and the action\'s roles, which the authorization matrix reads off the router', () => {
    const guard = permit('round.publish');
    expect(guard.action).toBe('round.publish');
    expect(guard.roles).toEqual(['bureau']);
    expect(permit('flags.read').roles).toEqual(['bureau', 'auditor']);
  });

  it('answers 403 FORBIDDEN to other roles', async () => {
    const res = await get('/bureau-only', 'student-token');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('answers 401 without a bearer token or with a revoked one', async () => {
    expect((await get('/bureau-only')).body.error.code).toBe('UNAUTHENTICATED');
    expect((await get('/bureau-only', 'old-token')).body.error.code).toBe('SESSION_EXPIRED');
  });

  it('holds back a user who must change the password, except where allowed', async () => {
    expect((await get('/bureau-only', 'pending-token')).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await get('/me', 'pending-token')).status).toBe(200);
  });

  it('holds back a bureau user who must turn on two-factor sign-in, except where allowed', async () => {
    const blocked = await get('/bureau-only', 'enrolling-token');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('TOTP_ENROLLMENT_REQUIRED');
    expect((await get('/me', 'enrolling-token')).body.error.code).toBe('TOTP_ENROLLMENT_REQUIRED');
    expect(await get('/enroll', 'enrolling-token')).toEqual({ status: 200, body: { id: 'bureau-1' } });
    // A pending password change comes first, even where enrollment is allowed.
    expect((await get('/enroll', 'pending-token')).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });
});

describe('error handler and logging', () => {
  it('answers an unknown error with a generic 500 and logs it with the request id', async () => {
    const { logger, lines } = memoryLogger();
    const app = express();
    app.use(requestContext);
    app.use(requestLogger(logger));
    app.get('/boom', async () => {
      throw new Error('db password is hunter2');
    });
    app.use(errorHandler);
    const url = await serve(app);
    const res = await fetch(`${url}/boom`, { headers: { 'x-request-id': 'req-boom-0001' } });
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({ error: { code: 'INTERNAL', message: '服务器内部错误，请稍后再试' } });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request failed');
    expect(failure).toMatchObject({ requestId: 'req-boom-0001', err: { message: 'db password is hunter2' } });
  });

  it('never logs bodies, query strings or headers', async () => {
    const { logger, lines } = memoryLogger();
    const app = express();
    app.use(requestContext);
    app.use(requestLogger(logger));
    app.use(express.json());
    app.post('/students', (_req, res) => {
      res.status(201).json({ ok: true });
    });
    app.use(errorHandler);
    const url = await serve(app);
    const idCardNo = '43020220090101123X';
    await fetch(`${url}/students?idCardNo=${idCardNo}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer secret-token-value', 'x-request-id': 'req-log-00001' },
      body: JSON.stringify({ idCardNo, password: 'hunter2' }),
    });
    const output = lines.join('\n');
    expect(output).toContain('req-log-00001');
    expect(output).toContain('"path":"/students"');
    expect(output).not.toContain(idCardNo);
    expect(output).not.toContain('hunter2');
    expect(output).not.toContain('secret-token-value');
  });

  it('strips query strings from logged paths', () => {
    expect(pathOnly('/api/x?idCardNo=1')).toBe('/api/x');
    expect(pathOnly('/api/x')).toBe('/api/x');
  });
});
