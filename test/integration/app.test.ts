import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeatKey } from '../../jobs/handlers/system.healthcheck';
import { healthSchema } from '../../server/routes/system/system.schema';
import { createAccount } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let api: ApiClient;
let clientDist: string;

beforeAll(async () => {
  // A stand-in for the built client, to check static serving and the SPA fallback.
  clientDist = await mkdtemp(path.join(tmpdir(), 'zz-client-'));
  await mkdir(path.join(clientDist, 'assets'));
  await writeFile(path.join(clientDist, 'index.html'), '<!doctype html><title>招生平台</title><div id="app"></div>');
  await writeFile(path.join(clientDist, 'assets', 'index-abc123.js'), 'console.log("app")');
  server = await startTestServer({ worker: true, env: { CLIENT_DIST: clientDist } });
  api = apiClient(server.url);
});

afterAll(async () => {
  await server?.stop();
  if (clientDist) await rm(clientDist, { recursive: true, force: true });
});

async function waitForJob(token: string, queue: string, id: string) {
  for (let i = 0; i < 100; i++) {
    const res = await api.get(`/api/jobs/${queue}/${id}`, { token });
    if (res.status !== 200 || ['completed', 'failed'].includes(res.body.state)) return res;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${queue}/${id} did not finish`);
}

describe('jobs', () => {
  it('runs a queued job and shows its progress to the bureau, inspectors and nobody else', async () => {
    const bureau = await createAccount(server.prisma, 'bureau');
    const auditor = await createAccount(server.prisma, 'auditor');
    const high = await createAccount(server.prisma, 'high');
    const bureauToken = await api.login(bureau.username, bureau.password);

    const queued = await api.post('/api/system/healthcheck', undefined, { token: bureauToken });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ queue: 'system', name: 'system.healthcheck' });
    expect(queued.body).not.toHaveProperty('createdBy');

    const done = await waitForJob(bureauToken, 'system', queued.body.id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: queued.body.id, state: 'completed', progress: 100, failedReason: null });
    expect(done.body.result.reason).toBe('manual');
    expect(await server.redis.get(heartbeatKey(server.queuePrefix))).toBe(done.body.result.at);
    // The audit chain's head leaves the database with every heartbeat (and its log line).
    const head = await server.prisma.auditLog.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
    expect(done.body.result.auditHead).toEqual(head ? { seq: head.seq.toString(), hash: head.hash } : null);

    const auditorToken = await api.login(auditor.username, auditor.password);
    expect((await api.get(`/api/jobs/system/${queued.body.id}`, { token: auditorToken })).status).toBe(200);

    const highToken = await api.login(high.username, high.password);
    const hidden = await api.get(`/api/jobs/system/${queued.body.id}`, { token: highToken });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('NOT_FOUND');
    expect((await api.post('/api/system/healthcheck', undefined, { token: highToken })).status).toBe(403);
  });

  it('answers 404 for an unknown queue or job', async () => {
    const bureau = await createAccount(server.prisma, 'bureau');
    const token = await api.login(bureau.username, bureau.password);
    expect((await api.get('/api/jobs/nope/1', { token })).status).toBe(404);
    expect((await api.get('/api/jobs/system/no-such-job', { token })).status).toBe(404);
    expect((await api.get('/api/jobs/system/1')).status).toBe(401);
  });

  it('keeps one job per job id', async () => {
    const first = await server.queues.enqueue('system.healthcheck', {}, { jobId: 'heartbeat-once' });
    const second = await server.queues.enqueue('system.healthcheck', {}, { jobId: 'heartbeat-once' });
    expect(second.id).toBe(first.id);
    expect(await server.queues.queue('system').getJobCountByTypes('completed', 'waiting', 'active', 'delayed')).toBeLessThanOrEqual(2);
  });
});

describe('GET /api/health', () => {
  it('reports PostgreSQL, Redis and the worker heartbeat', async () => {
    const res = await api.get('/api/health');
    expect(res.status).toBe(200);
    const health = healthSchema.parse(res.body);
    expect(health.status).toBe('ok');
    expect(health.checks).toEqual({ database: 'ok', redis: 'ok' });
  });
});

describe('GET /metrics', () => {
  it('exposes Prometheus metrics labelled by route pattern', async () => {
    await api.get('/api/health');
    const res = await api.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.body).toContain('http_request_duration_seconds');
    expect(res.body).toContain('route="/api/health"');
  });
});

describe('the web client', () => {
  it('serves index.html for client routes and files from the build folder', async () => {
    const page = await api.get('/student/choices');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('招生平台');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");

    const asset = await api.get('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('never answers /api paths with the client', async () => {
    const res = await api.get('/api/student/choices');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('login rate limit', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ env: { LOGIN_RATE_LIMIT: '3' } });
  });
  afterAll(async () => {
    await limited?.stop();
  });

  it('answers 429 RATE_LIMITED past the limit per client', async () => {
    const client = apiClient(limited.url);
    for (let i = 0; i < 3; i++) expect((await client.post('/api/auth/login', { username: 'x', password: 'y' })).status).toBe(401);
    const res = await client.post('/api/auth/login?lang=en', { username: 'x', password: 'y' });
    expect(res.status).toBe(429);
    expect(res.body.error).toEqual({ code: 'RATE_LIMITED', message: 'Too many requests, please try again later' });
  });
});
