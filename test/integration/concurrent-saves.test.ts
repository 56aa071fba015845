/**
 * Concurrent saves of one student's choices (two tabs, two devices, a family
 * member and the student at once): saves from the same base version race
 * truly in parallel, twenty times over, starting with the very first save
 * (when no application row exists yet). Each time exactly one wins (200) and
 * the others get 409 APPLICATION_VERSION_CONFLICT; the stored application and
 * its version history have no gap and no duplicate, and hold the winner's choices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { apiClient, type ApiClient, type ApiResponse } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';
import { createStudentWorld, type StudentWorld } from '../support/student-world';

const ROUNDS = 20;
const clock = createTestClock();
let server: TestServer;
let api: ApiClient;
let world: StudentWorld;
/** Several sessions of the same student (tabs, devices). */
let tokens: string[];

beforeAll(async () => {
  server = await startTestServer({ clock });
  api = apiClient(server.url);
  world = await createStudentWorld(server.prisma);
  clock.set(world.during('applications_open'));
  tokens = [];
  for (let i = 0; i < 4; i++) tokens.push(await api.login(world.account.username, world.account.password));
});

afterAll(async () => {
  if (world) await server.prisma.cycle.update({ where: { id: world.cycle.id }, data: { status: 'archived' } });
  await server?.stop();
});

const save = (token: string, baseVersion: number, choices: Record<string, string[]>) =>
  api.put('/api/student/application', { baseVersion, choices }, { token });

describe('concurrent saves of one student', () => {
  it('lets exactly one of the saves from the same version win, every time, with no gap in the history', async () => {
    const { first, second, vocational } = world.schools;
    // Different valid lists, so the stored choices tell which save won.
    const lists: Record<string, string[]>[] = [
      { '1': [first.id] },
      { '1': [second.id] },
      { '1': [first.id, second.id], '3': [vocational.id] },
      { '1': [second.id, first.id] },
    ];
    const winners: Record<string, string[]>[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const base = round; // every round starts from the version the previous one produced
      // Two sessions in most rounds, all four every fifth round; started together, not one after another.
      const racers = round % 5 === 0 ? tokens : [tokens[round % 4], tokens[(round + 1) % 4]];
      const bodies = racers.map((_, i) => lists[(round + i) % lists.length]);
      const results: ApiResponse[] = await Promise.all(racers.map((token, i) => save(token, base, bodies[i])));

      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200), `round ${round}: ${JSON.stringify(results.map((r) => r.body))}`).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(racers.length - 1);
      const winner = results.findIndex((r) => r.status === 200);
      expect(results[winner].body.version).toBe(base + 1);
      for (const loser of results.filter((r) => r.status === 409)) {
        expect(loser.body.error.code).toBe('APPLICATION_VERSION_CONFLICT');
        expect(loser.body.error.details.currentVersion).toBe(base + 1);
      }
      winners.push(results[winner].body.choices);

      const stored = await api.get('/api/student/application', { token: tokens[0] });
      expect(stored.body.version).toBe(base + 1);
      expect(stored.body.choices).toEqual(results[winner].body.choices);
    }

    // The history: versions 1..ROUNDS exactly once each, each with the winner's choices.
    const history = await api.get('/api/student/application/history', { token: tokens[0] });
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual(Array.from({ length: ROUNDS }, (_, i) => ROUNDS - i));
    expect(history.body.versions.map((v: { choices: unknown }) => v.choices).reverse()).toEqual(winners);
    const applications = await server.prisma.application.findMany({ where: { studentId: world.student.id }, include: { versions: true } });
    expect(applications).toHaveLength(1);
    expect(applications[0].version).toBe(ROUNDS);
    expect(applications[0].versions.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: ROUNDS }, (_, i) => i + 1));
  });
});
