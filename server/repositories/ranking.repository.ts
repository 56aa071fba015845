import { Prisma } from '../db';
import type { Db } from './index';

/**
 * Reads behind 位次 and the 一分一段表 (server/domain/ranking). Scores are
 * public only as counts: nothing here leaves the server with a student's
 * identity, except the caller's own record read elsewhere.
 *
 * A student counts once their scores are imported: `scores` is a non-empty
 * object (every import carries them; a record without is not ranked).
 */
const SCORED = Prisma.sql`jsonb_typeof(s.scores) = 'object' AND s.scores <> '{}'::jsonb`;

/** One group of the grouped count: `count` scored students of `regionCode` with total `score`. */
export interface ScoreCountRow {
  score: number;
  regionCode: string;
  count: number;
}

/** What a rank is decided by, for a student tied with another on the total. */
export interface RankRow {
  regionCode: string;
  total: number;
  scores: Prisma.JsonValue;
  evaluation: string;
}

/** The published main round a cycle's "last year" is read from, with its tie-break order. */
export interface PreviousRoundRow {
  id: string;
  cycleId: string;
  year: number;
  /** The round's policy.tieBreak as stored (validated by the caller). */
  tieBreak: unknown;
  /** That cycle's policy, for its tie-break keys when the round's are absent. */
  cyclePolicy: unknown;
}

export function createRankingRepository(db: Db) {
  return {
    /**
     * Scored students of a cycle counted per total and region: one grouped
     * scan of the cycle's students (about 20 ms at 45,000 on the 2-core test
     * machine, some 8,000 groups); the read cache keeps it, see read-cache.ts.
     */
    scoreCounts(cycleId: string): Promise<ScoreCountRow[]> {
      return db.$queryRaw<ScoreCountRow[]>`
        SELECT s.total AS score, s."regionCode", count(*)::int AS count
        FROM "Student" s
        WHERE s."cycleId" = ${cycleId} AND ${SCORED}
        GROUP BY s.total, s."regionCode"`;
    },

    /** Scored students of a cycle whose total is one of `totals` (index on cycleId, total): the ties a rank settles by tie-break keys. */
    tiedAt(cycleId: string, totals: readonly number[]): Promise<RankRow[]> {
      if (totals.length === 0) return Promise.resolve([]);
      return db.$queryRaw<RankRow[]>`
        SELECT s."regionCode", s.total, s.scores, s.evaluation::text AS evaluation
        FROM "Student" s
        WHERE s."cycleId" = ${cycleId} AND s.total = ANY(${[...totals]}::float8[]) AND ${SCORED}`;
    },

    /** Students of a cycle by exam number (the ids a round's result names), with what ranks them. */
    studentsByExamNo(cycleId: string, examNos: readonly string[]): Promise<(RankRow & { examNo: string })[]> {
      if (examNos.length === 0) return Promise.resolve([]);
      return db.$queryRaw<(RankRow & { examNo: string })[]>`
        SELECT s."examNo", s."regionCode", s.total, s.scores, s.evaluation::text AS evaluation
        FROM "Student" s
        WHERE s."cycleId" = ${cycleId} AND s."examNo" = ANY(${[...examNos]}::text[]) AND ${SCORED}`;
    },

    /**
     * The regions of a cycle as that year named them (CycleRegion), and the
     * regions of its students that have no row of the year (older data, test
     * factories) under their global names.
     */
    cycleRegions(cycleId: string): Promise<{ code: string; name: string; nameEn: string }[]> {
      return db.$queryRaw<{ code: string; name: string; nameEn: string }[]>`
        SELECT y.code, y.name, y."nameEn" FROM "CycleRegion" y WHERE y."cycleId" = ${cycleId}
        UNION ALL
        SELECT r.code, r.name, r."nameEn" FROM "Region" r
        WHERE r.code IN (SELECT DISTINCT s."regionCode" FROM "Student" s WHERE s."cycleId" = ${cycleId})
          AND NOT EXISTS (SELECT 1 FROM "CycleRegion" y WHERE y."cycleId" = ${cycleId} AND y.code = r.code)
        ORDER BY code`;
    },

    /**
     * The published main round of the year before `cycleId`'s (the round last
     * year's cutoffs come from; the same choice as the cutoff scores of
     * application.repository's lastYearCutoffs), or null.
     */
    async previousMainRound(cycleId: string): Promise<PreviousRoundRow | null> {
      const [round] = await db.$queryRaw<PreviousRoundRow[]>`
        SELECT r.id, r."cycleId", c.year, r.policy->'tieBreak' AS "tieBreak", c.policy AS "cyclePolicy"
        FROM "Round" r JOIN "Cycle" c ON c.id = r."cycleId"
        WHERE r.kind = 'main' AND r.status = 'published' AND r."cycleId" = (
          SELECT c2.id FROM "Cycle" c2 WHERE c2.year < (SELECT year FROM "Cycle" WHERE id = ${cycleId}) ORDER BY c2.year DESC LIMIT 1
        )
        ORDER BY r."publishedAt" DESC NULLS LAST, r."createdAt" DESC LIMIT 1`;
      return round ?? null;
    },

    /**
     * Each school's last admitted student on open seats (else on reverted
     * seats) in a round's result: the exam number and total of the cutoff
     * (录取最低分), read in the database (a round's result is big).
     */
    async roundCutoffStudents(roundId: string): Promise<{ highSchoolId: string; examNo: string; total: number }[]> {
      const rows = await db.$queryRaw<{ highSchoolId: string; examNo: unknown; total: unknown }[]>`
        SELECT s.key AS "highSchoolId",
               COALESCE(s.value->'cutoffs'->'open', s.value->'cutoffs'->'reverted')->>'student' AS "examNo",
               COALESCE(s.value->'cutoffs'->'open', s.value->'cutoffs'->'reverted')->'total' AS total
        FROM "Round" r, jsonb_each(CASE WHEN jsonb_typeof(r.result->'schools') = 'object' THEN r.result->'schools' ELSE '{}'::jsonb END) s
        WHERE r.id = ${roundId}`;
      return rows.flatMap((r) => (typeof r.examNo === 'string' && typeof r.total === 'number' ? [{ highSchoolId: r.highSchoolId, examNo: r.examNo, total: r.total }] : []));
    },
  };
}

export type RankingRepository = ReturnType<typeof createRankingRepository>;
