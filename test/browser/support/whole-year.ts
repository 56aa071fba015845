/**
 * The demo city (server/demo/generate.ts, loaded by
 * server/demo/demo-loader.ts as `npm start` loads it) in a database of
 * its own on the test PostgreSQL, served by the real API with the BullMQ
 * workers in-process and a test clock: the ground the whole-year browser test
 * (test/browser/whole-year.test.ts) walks on. The demo city's fixed ids
 * (H01, J0101, `bureau`...) would collide with other files' data in the
 * shared test database, hence a database per run, dropped at the end.
 *
 * Also the test's own reading of the year from the database (`yearFromDatabase`):
 * round 1 with each student's answer plus the 补录 placements, by the rule of
 * server/domain/admissions/year-placements.ts, written again here in SQL and a
 * few lines so the pages are checked against the stored rows, not against the
 * code that drew them.
 */
import pg from 'pg';
import { inject } from 'vitest';
import { applyMigrations } from '../../../prisma/migrate';
import type { Phase } from '../../../server/db';
import { DEMO_PASSWORD, generateCity, type DemoCity } from '../../../server/demo/generate';
import { loadDemoCity } from '../../../server/demo/demo-loader';
import { createTestClock, type TestClock } from '../../support/clock';
import { startTestServer, type TestServer } from '../../support/server';

export { DEMO_PASSWORD };

/** `npm start`'s demo city: seed and size (DEMO_SEED, DEMO_STUDENTS defaults). */
export const DEMO_SEED = 'zhuzhou-demo';
export const DEMO_STUDENTS = 45_000;

export interface DemoYear {
  server: TestServer;
  clock: TestClock;
  city: DemoCity;
  cycleId: string;
  /** Milliseconds of each setup stage (generate, database, load, server), to print. */
  timings: Record<string, number>;
  /** A moment well inside `phase`'s window as stored now (the bureau may have moved it). */
  during(phase: Phase): Promise<Date>;
  stop(): Promise<void>;
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Generates the demo city, loads it into a new database at `now` (so
 * applications are open, as after `npm start`) and starts the API with the
 * workers on it. `students` defaults to the demo's 45,000.
 */
export async function startDemoYear(props: { now: Date; students?: number; seed?: string }): Promise<DemoYear> {
  const timings: Record<string, number> = {};
  const timed = async <T>(stage: string, work: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[stage] = Math.round(performance.now() - started);
    }
  };

  const serverUrl = inject('databaseUrl');
  const databaseName = `whole_year_${process.pid}_${Date.now()}`;
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  const databaseUrl = url.toString();

  const city = await timed('generate', () => generateCity({ seed: props.seed ?? DEMO_SEED, students: props.students ?? DEMO_STUDENTS }));
  await timed('database', async () => {
    await admin(serverUrl, `CREATE DATABASE "${databaseName}"`);
    await applyMigrations(databaseUrl);
  });
  const clock = createTestClock(props.now);
  let server: TestServer | undefined;
  try {
    // Tokens outlive the clock's jumps between phases (each role still signs in afresh).
    server = await timed('server', () => startTestServer({ clock, worker: true, env: { DATABASE_URL: databaseUrl, JWT_TTL: '30d' } }));
    const summary = await timed('load', () => loadDemoCity(server!.prisma, city, props.now));
    const running = server;
    return {
      server: running,
      clock,
      city,
      cycleId: summary.cycleId,
      timings,
      async during(phase) {
        const window = await running.prisma.cyclePhase.findFirstOrThrow({ where: { cycleId: summary.cycleId, phase } });
        // An hour in, or the middle of a window shorter than two hours.
        const span = window.closesAt.getTime() - window.opensAt.getTime();
        return new Date(window.opensAt.getTime() + Math.min(3_600_000, Math.floor(span / 2)));
      },
      async stop() {
        await running.stop();
        await admin(serverUrl, `DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      },
    };
  } catch (error) {
    await server?.stop();
    await admin(serverUrl, `DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    throw error;
  }
}

/** One published row of round 1 or 补录, as stored. */
interface PlacementRow {
  kind: 'main' | 'supplementary';
  studentId: string;
  highSchoolId: string | null;
  seat: 'open' | 'quota' | 'reverted' | null;
  juniorSchoolId: string;
  ownership: 'public' | 'private' | null;
  decision: 'confirmed' | 'declined' | null;
}

/** The year as the database holds it, in the numbers the pages show. */
export interface StoredYear {
  /** Students holding a seat: round-1 seats not given up plus 补录 placements. */
  held: number;
  /** …of them at public and at private schools (the dashboard's 公办/民办 card). */
  heldPublic: number;
  heldPrivate: number;
  /** Round-1 seats held and 补录 placements, apart. */
  heldFromMain: number;
  heldFromSupplementary: number;
  school(highSchoolId: string): { mainRows: number; declined: number; supplementary: number; held: number };
  junior(juniorSchoolId: string): { placed: number; supplementary: number; declined: number; unplaced: number };
}

/**
 * Reads round 1 (with answers) and 补录 of the cycle from the database.
 * The rule (server/domain/admissions/year-placements.ts): a round-1 seat is
 * held unless declined, or silent once the confirmation window is over where
 * the policy counts silence as declining; a 补录 placement is held and is the
 * seat a student holds when there is one.
 */
export async function yearFromDatabase(year: DemoYear, props: { confirmationOver: boolean }): Promise<StoredYear> {
  const { prisma } = year.server;
  const cycle = await prisma.cycle.findUniqueOrThrow({ where: { id: year.cycleId } });
  const silenceIsDecline = (cycle.policy as { silenceCountsAsDecline?: boolean }).silenceCountsAsDecline === true;
  const rows = await prisma.$queryRaw<PlacementRow[]>`
    SELECT r.kind::text AS kind, a."studentId", a."highSchoolId", a.seat::text AS seat, s."juniorSchoolId",
           h.ownership::text AS ownership, c.decision::text AS decision
      FROM "RoundAssignment" a
      JOIN "Round" r ON r.id = a."roundId"
      JOIN "Student" s ON s.id = a."studentId"
      LEFT JOIN "HighSchool" h ON h.id = a."highSchoolId"
      LEFT JOIN "Confirmation" c ON c."roundId" = a."roundId" AND c."studentId" = a."studentId"
     WHERE r."cycleId" = ${year.cycleId} AND r.status = 'published' AND r.kind IN ('main', 'supplementary')`;

  const keepsMain = (row: PlacementRow) =>
    row.highSchoolId !== null && row.decision !== 'declined' && (row.decision === 'confirmed' || !props.confirmationOver || !silenceIsDecline);
  const byStudent = new Map<string, { main?: PlacementRow; supplementary?: PlacementRow; juniorSchoolId: string }>();
  for (const row of rows) {
    const entry = byStudent.get(row.studentId) ?? { juniorSchoolId: row.juniorSchoolId };
    entry[row.kind] = row;
    byStudent.set(row.studentId, entry);
  }
  const holds = (entry: { main?: PlacementRow; supplementary?: PlacementRow }) =>
    entry.supplementary?.highSchoolId ? entry.supplementary : entry.main && keepsMain(entry.main) ? entry.main : null;

  let heldPublic = 0;
  let heldPrivate = 0;
  let heldFromMain = 0;
  let heldFromSupplementary = 0;
  for (const entry of byStudent.values()) {
    const row = holds(entry);
    if (!row) continue;
    if (row.ownership === 'public') heldPublic++;
    else heldPrivate++;
    if (row.kind === 'main') heldFromMain++;
    else heldFromSupplementary++;
  }
  return {
    held: heldPublic + heldPrivate,
    heldPublic,
    heldPrivate,
    heldFromMain,
    heldFromSupplementary,
    school(highSchoolId) {
      const main = rows.filter((r) => r.kind === 'main' && r.highSchoolId === highSchoolId);
      const supplementary = rows.filter((r) => r.kind === 'supplementary' && r.highSchoolId === highSchoolId);
      return {
        mainRows: main.length,
        declined: main.filter((r) => r.decision === 'declined').length,
        supplementary: supplementary.length,
        held: main.filter(keepsMain).length + supplementary.length,
      };
    },
    junior(juniorSchoolId) {
      const entries = [...byStudent.values()].filter((e) => e.juniorSchoolId === juniorSchoolId);
      return {
        placed: entries.filter((e) => holds(e) !== null).length,
        supplementary: entries.filter((e) => e.supplementary?.highSchoolId).length,
        declined: entries.filter((e) => e.main?.decision === 'declined').length,
        unplaced: entries.filter((e) => holds(e) === null).length,
      };
    },
  };
}
