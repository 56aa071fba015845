import { createHash } from 'node:crypto';
import { Prisma } from '../db';
import { buildResultView, viewPlans, type StoredResultView, type ViewAssignment, type ViewRound } from '../domain/admissions/result-view';
import type { Db } from './index';
import { createApplicationRepository } from './application.repository';

/**
 * Students' published results, stored once per publication
 * (server/domain/admissions/result-view.ts) so that results night reads one
 * row per request instead of rebuilding it.
 */

/** Rows per INSERT: 45,000 students are 9 statements, each one round trip with two arrays. */
const INSERT_CHUNK = 5_000;

export interface StoredResultRow {
  cycleId: string;
  mainRoundId: string;
  supplementaryRoundId: string | null;
  version: string;
  view: StoredResultView;
  /** The answer to the round-1 seat, if any. */
  decision: 'confirmed' | 'declined' | null;
  decidedAt: Date | null;
  hasMainApplication: boolean;
  hasSupplementaryApplication: boolean;
}

export function createResultViewRepository(db: Db) {
  async function publishedRound(cycleId: string, kind: 'main' | 'supplementary'): Promise<ViewRound | null> {
    const rows = await db.$queryRaw<{ id: string; publishedAt: Date | null; schools: unknown; tieBreak: unknown }[]>`
      SELECT id, "publishedAt", result -> 'schools' AS schools, policy -> 'tieBreak' AS "tieBreak" FROM "Round"
      WHERE "cycleId" = ${cycleId} AND kind = ${kind}::"RoundKind" AND status = 'published'
      ORDER BY "publishedAt" DESC NULLS LAST, "createdAt" DESC LIMIT 1`;
    return rows[0] ? { ...rows[0], kind } : null;
  }

  async function assignments(roundId: string): Promise<Map<string, ViewAssignment>> {
    const rows = await db.roundAssignment.findMany({
      where: { roundId },
      select: { studentId: true, highSchoolId: true, seat: true, batch: true, explanation: true },
    });
    return new Map(rows.map((r) => [r.studentId, r]));
  }

  return {
    /** A round's `policy.tieBreak` (the keys a tie at a cutoff is explained by). */
    async roundTieBreak(roundId: string): Promise<unknown> {
      const rows = await db.$queryRaw<{ tieBreak: unknown }[]>`SELECT policy -> 'tieBreak' AS "tieBreak" FROM "Round" WHERE id = ${roundId}`;
      return rows[0]?.tieBreak ?? null;
    },

    /**
     * Rewrites the stored results of every student of the cycle from its
     * published round 1 and 补录 (call inside the publishing transaction,
     * after the round is marked published). Nothing is written before round 1
     * is published. Returns the number of views written.
     */
    async rewriteCycle(cycleId: string): Promise<number> {
      const [main, supplementary] = await Promise.all([publishedRound(cycleId, 'main'), publishedRound(cycleId, 'supplementary')]);
      await db.$executeRaw`DELETE FROM "StudentResultView" WHERE "cycleId" = ${cycleId}`;
      if (!main) return 0;
      const [students, mainRows, supplementaryRows, plans] = await Promise.all([
        db.student.findMany({ where: { cycleId }, select: { id: true, total: true, evaluation: true, juniorSchoolId: true, scores: true } }),
        assignments(main.id),
        supplementary ? assignments(supplementary.id) : Promise.resolve(new Map<string, ViewAssignment>()),
        createApplicationRepository(db).listPublishedPlans(cycleId),
      ]);
      const planMap = viewPlans(plans);
      const publishing = supplementary ?? main;
      for (let i = 0; i < students.length; i += INSERT_CHUNK) {
        const ids: string[] = [];
        const versions: string[] = [];
        const views: string[] = [];
        for (const student of students.slice(i, i + INSERT_CHUNK)) {
          const text = JSON.stringify(
            buildResultView({
              student,
              main: { round: main, assignment: mainRows.get(student.id) },
              supplementary: supplementary ? { round: supplementary, assignment: supplementaryRows.get(student.id) } : null,
              plans: planMap,
            }),
          );
          ids.push(student.id);
          versions.push(`${publishing.id}.${createHash('sha256').update(text).digest('base64url').slice(0, 16)}`);
          views.push(text);
        }
        await db.$executeRaw`
          INSERT INTO "StudentResultView" ("studentId", "cycleId", "mainRoundId", "supplementaryRoundId", version, view)
          SELECT s, ${cycleId}, ${main.id}, ${supplementary?.id ?? null}, v, j::jsonb
          FROM unnest(${ids}::text[], ${versions}::text[], ${views}::text[]) AS u(s, v, j)`;
      }
      return students.length;
    },

    /**
     * The student's stored result with what can change after publication
     * (the answer to the round-1 seat, whether they applied to each round):
     * one statement on the primary key. Null when nothing is stored.
     */
    async findForStudent(studentId: string): Promise<StoredResultRow | null> {
      const rows = await db.$queryRaw<StoredResultRow[]>(Prisma.sql`
        SELECT v."cycleId", v."mainRoundId", v."supplementaryRoundId", v.version, v.view,
               c.decision::text AS decision, c.at AS "decidedAt",
               EXISTS (SELECT 1 FROM "Application" a WHERE a."cycleId" = v."cycleId" AND a."studentId" = v."studentId" AND a.kind = 'main') AS "hasMainApplication",
               EXISTS (SELECT 1 FROM "Application" a WHERE a."cycleId" = v."cycleId" AND a."studentId" = v."studentId" AND a.kind = 'supplementary') AS "hasSupplementaryApplication"
        FROM "StudentResultView" v
        LEFT JOIN "Confirmation" c ON c."roundId" = v."mainRoundId" AND c."studentId" = v."studentId"
        WHERE v."studentId" = ${studentId}`);
      return rows[0] ?? null;
    },
  };
}

export type ResultViewRepository = ReturnType<typeof createResultViewRepository>;
