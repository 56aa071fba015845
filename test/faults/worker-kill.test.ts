/**
 * The worker killed (kill -9) in the middle of a round, while it writes the
 * round's assignment rows, on a 10,000-student city; a new worker started
 * afterwards. The round completes exactly once (one stored result, one set of
 * RoundAssignment rows) and its result is identical, every assignment and
 * both hashes, to an uninterrupted run of the same round on the same data.
 *
 * The workers run with a short lock (WORKER_LOCK_MS) and stalled-job check
 * (WORKER_STALLED_INTERVAL_MS) so that the dead worker's job is taken over in
 * about ten seconds rather than the production default of 30 s.
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

const STUDENTS = 10_000;

let services: FaultServices;
let city: LoadedCity;
let env: Record<string, string>;
let api: PlatformProcess & { url: string };
let http: ApiClient;
let bureauToken: string;
const workers: PlatformProcess[] = [];

beforeAll(async () => {
  services = await startFaultServices('worker');
  city = await loadCity(services.prisma, { students: STUDENTS, seed: 'faults-worker', phase: 'applications_closed' });
  // The lock must outlast the longest stretch the round blocks the event loop (serialising
  // 10,000 students takes seconds on a busy machine), or a live worker loses its job too.
  env = platformEnv(services, { WORKER_LOCK_MS: '10000', WORKER_STALLED_INTERVAL_MS: '1000', WORKER_CONCURRENCY: '1' });
  api = await spawnApi(services, env);
  http = apiClient(api.url);
  bureauToken = await http.login('bureau', DEMO_PASSWORD);
});

afterAll(async () => {
  await Promise.all([api?.kill('SIGTERM'), ...workers.map((w) => w.kill('SIGTERM'))]);
  await services?.stop();
});

async function startRound(kind: 'main' | 'simulation'): Promise<{ id: string; jobId: string }> {
  const res = await http.post('/api/rounds', { kind }, { token: bureauToken });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body;
}

async function waitForRound(id: string) {
  return waitFor(
    `round ${id} to finish`,
    async () => {
      const res = await http.get(`/api/rounds/${id}`, { token: bureauToken });
      expect(res.status).toBe(200);
      expect(res.body.status).not.toBe('failed');
      return ['succeeded', 'published'].includes(res.body.status) && res.body;
    },
    { timeoutMs: 150_000, intervalMs: 100 },
  );
}

/** Every assignment of a round, by student, as stored. */
async function assignments(roundId: string) {
  const rows = await services.prisma.roundAssignment.findMany({ where: { roundId }, orderBy: { studentId: 'asc' } });
  return rows.map(({ studentId, highSchoolId, seat, batch, explanation }) => ({ studentId, highSchoolId, seat, batch, explanation }));
}

/** True while some other connection is inside the round's store transaction, writing assignment rows. */
async function storingAssignments(): Promise<boolean> {
  const rows = await services.prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE pid <> pg_backend_pid() AND xact_start IS NOT NULL
      AND (query LIKE 'INSERT INTO "RoundAssignment"%' OR query LIKE 'COPY "RoundAssignment%')`;
  return rows[0].n > 0;
}

describe('worker killed in the middle of a round', () => {
  it('completes the round exactly once after a new worker starts, identical to an uninterrupted run', async () => {
    workers.push(await spawnWorker(services, env, 'worker-1'));
    const round = await startRound('main');

    await waitFor('the worker to write the assignment rows', storingAssignments, { timeoutMs: 150_000, intervalMs: 20 });
    await workers[0].kill('SIGKILL');
    const killedAt = performance.now();

    // Mid-round: nothing of the interrupted attempt is visible.
    const afterKill = await services.prisma.round.findUniqueOrThrow({ where: { id: round.id } });
    expect(afterKill.status).toBe('running');
    expect(afterKill.resultSha256).toBeNull();
    expect(await services.prisma.roundAssignment.count({ where: { roundId: round.id } })).toBe(0);
    expect((await http.get(`/api/jobs/rounds/${round.jobId}`, { token: bureauToken })).body.state).toBe('active');

    const restarted = performance.now();
    workers.push(await spawnWorker(services, env, 'worker-2'));
    const recovered = await waitForRound(round.id);
    console.log(
      `${STUDENTS}-student round completed ${since(restarted)} ms after the new worker was spawned ` +
        `(${since(killedAt)} ms after the kill)`,
    );

    // Exactly once: one result, one set of rows, one completed job.
    expect(recovered).toMatchObject({ status: 'succeeded', invariantsOk: true, progress: 100 });
    expect(recovered.counts.students).toBe(city.students);
    const rows = await assignments(round.id);
    expect(rows).toHaveLength(city.students);
    expect(new Set(rows.map((r) => r.studentId)).size).toBe(city.students);
    expect(await services.prisma.round.count({ where: { jobId: round.jobId } })).toBe(1);
    const job = await http.get(`/api/jobs/rounds/${round.jobId}`, { token: bureauToken });
    expect(job.body).toMatchObject({ state: 'completed', progress: 100, failedReason: null });
    expect(job.body.result).toMatchObject({ roundId: round.id, status: 'succeeded', skipped: false });
    const finished = await workers[1].logEntries((e) => e.msg === 'round run' && e.roundId === round.id);
    expect(finished).toHaveLength(1);

    // The same round run without interruption on the same data (a simulation: same seed, policy and students).
    // Equal hashes: the same input and result texts, explanations included. A simulation's rows carry no
    // explanation (it is never published); the main round's rows carry theirs.
    const control = await waitForRound((await startRound('simulation')).id);
    expect(recovered.sha256).toEqual(control.sha256);
    const placements = (list: Awaited<ReturnType<typeof assignments>>) => list.map(({ explanation: _explanation, ...placement }) => placement);
    const controlRows = await assignments(control.id);
    expect(placements(controlRows)).toEqual(placements(rows));
    expect(controlRows.every((r) => r.explanation === null)).toBe(true);
    expect(rows.filter((r) => r.explanation !== null).length).toBeGreaterThan(city.students / 10);
    expect(api.alive()).toBe(true);
  });
});
