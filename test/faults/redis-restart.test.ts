/**
 * Redis killed (kill -9) with jobs queued and running, then started again on
 * the same append-only file and port, under a running API and worker (real
 * processes): every job the API acknowledged before the kill completes
 * afterwards, none is lost, and both processes reconnect by themselves.
 * While Redis is down, routes that need only PostgreSQL keep working (sign-in:
 * the rate limiter lets requests through when its store fails) and queueing a
 * job answers 503 QUEUE_UNAVAILABLE, not 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiClient } from '../support/http';
import {
  DEMO_PASSWORD,
  loadCity,
  platformEnv,
  since,
  spawnApi,
  spawnWorker,
  startFaultServices,
  waitFor,
  type FaultServices,
  type LoadedCity,
  type PlatformProcess,
} from './support';

let services: FaultServices;
let city: LoadedCity;
let api: PlatformProcess & { url: string };
let worker: PlatformProcess;
let http: ApiClient;
let bureauToken: string;
let studentUsername: string;
let studentToken: string;

beforeAll(async () => {
  services = await startFaultServices('redis');
  city = await loadCity(services.prisma, { students: 1_500, seed: 'faults-redis', phase: 'applications_closed' });
  studentUsername = (await services.prisma.user.findFirstOrThrow({ where: { role: 'student' }, orderBy: { username: 'asc' } })).username;
  // One job at a time, so that several are still waiting when Redis dies.
  const env = platformEnv(services, { WORKER_CONCURRENCY: '1' });
  [api, worker] = await Promise.all([spawnApi(services, env), spawnWorker(services, env)]);
  http = apiClient(api.url);
  bureauToken = await http.login('bureau', DEMO_PASSWORD);
  studentToken = await http.login(studentUsername, DEMO_PASSWORD);
});

afterAll(async () => {
  await Promise.all([api?.kill('SIGTERM'), worker?.kill('SIGTERM')]);
  await services?.stop();
});

interface Acknowledged {
  queue: string;
  id: string;
  roundId?: string;
}

describe('Redis killed and restarted with jobs queued', () => {
  it('completes every acknowledged job afterwards; the API and worker reconnect by themselves', async () => {
    // Acknowledged work: four simulations (each a round.run job), heartbeats and flag detections, mixed.
    const acknowledged: Acknowledged[] = [];
    for (let i = 0; i < 4; i++) {
      const round = await http.post('/api/rounds', { kind: 'simulation', name: `sim ${i}` }, { token: bureauToken });
      expect(round.status, JSON.stringify(round.body)).toBe(202);
      acknowledged.push({ queue: 'rounds', id: round.body.jobId, roundId: round.body.id });
      const heartbeat = await http.post('/api/system/healthcheck', undefined, { token: bureauToken });
      expect(heartbeat.status).toBe(202);
      acknowledged.push({ queue: heartbeat.body.queue, id: heartbeat.body.id });
      if (i % 2 === 0) {
        const flags = await http.post('/api/flags/detect', undefined, { token: bureauToken });
        expect(flags.status, JSON.stringify(flags.body)).toBe(202);
        acknowledged.push({ queue: flags.body.queue, id: flags.body.id });
      }
    }
    const roundIds = acknowledged.flatMap((a) => (a.roundId ? [a.roundId] : []));
    const finishedBeforeKill = await services.prisma.round.count({ where: { id: { in: roundIds }, status: 'succeeded' } });

    await services.killRedis();
    expect(finishedBeforeKill).toBeLessThan(roundIds.length); // the kill found work still to do

    // Redis down: PostgreSQL-only routes work, queueing says 503, health says which service is down.
    expect((await http.post('/api/auth/login', { username: studentUsername, password: DEMO_PASSWORD })).status).toBe(200);
    const application = await http.get('/api/student/application', { token: studentToken });
    expect(application.status).toBe(200);
    const heartbeat = await http.post('/api/system/healthcheck', undefined, { token: bureauToken });
    expect(heartbeat.status).toBe(503);
    expect(heartbeat.body.error.code).toBe('QUEUE_UNAVAILABLE');
    expect(heartbeat.body.error.message).toBe('后台任务队列暂不可用，请稍后重试');
    expect(heartbeat.headers.get('retry-after')).not.toBeNull();
    const refusedRound = await http.post('/api/rounds', { kind: 'simulation', name: 'while down' }, { token: bureauToken, headers: { 'accept-language': 'en' } });
    expect(refusedRound.status).toBe(503);
    expect(refusedRound.body.error.message).toBe('The job queue is unavailable at the moment, please try again shortly');
    // The round that could not be queued does not wait forever for a job.
    const orphan = await services.prisma.round.findFirstOrThrow({ where: { name: 'while down' } });
    expect(orphan.status).toBe('failed');
    const job = await http.get(`/api/jobs/rounds/${acknowledged[0].id}`, { token: bureauToken });
    expect(job.status).toBe(503);
    const health = await http.get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body.checks).toEqual({ database: 'ok', redis: 'down' });

    const restarted = performance.now();
    await services.startRedis();

    // Every acknowledged job completes, read back through the same API process.
    for (const ack of acknowledged) {
      const view = await waitFor(
        `job ${ack.queue}/${ack.id} to complete`,
        async () => {
          const res = await http.get(`/api/jobs/${ack.queue}/${ack.id}`, { token: bureauToken });
          if (res.status !== 200) return undefined;
          expect(res.body.state).not.toBe('failed');
          return res.body.state === 'completed' && res.body;
        },
        { timeoutMs: 120_000, intervalMs: 200 },
      );
      expect(view.failedReason).toBeNull();
    }
    console.log(`all ${acknowledged.length} acknowledged jobs completed ${since(restarted)} ms after Redis was started again`);
    const rounds = await services.prisma.round.findMany({ where: { id: { in: roundIds } } });
    expect(rounds.map((r) => r.status)).toEqual(roundIds.map(() => 'succeeded'));
    for (const round of rounds) {
      expect(await services.prisma.roundAssignment.count({ where: { roundId: round.id } })).toBe(city.students);
    }
    // Same students, seed and policy: the four simulations agree.
    expect(new Set(rounds.map((r) => r.resultSha256)).size).toBe(1);

    // New work is taken as before, by the same processes.
    const after = await http.post('/api/system/healthcheck', undefined, { token: bureauToken });
    expect(after.status).toBe(202);
    await waitFor('a job queued after the restart to complete', async () => {
      const res = await http.get(`/api/jobs/${after.body.queue}/${after.body.id}`, { token: bureauToken });
      return res.body.state === 'completed';
    });
    expect((await http.get('/api/health')).body.checks).toEqual({ database: 'ok', redis: 'ok' });
    expect(api.alive()).toBe(true);
    expect(worker.alive()).toBe(true);
  });
});
