import { createHash } from 'node:crypto';
import { buildResultView, viewPlans, type StoredResultView, type ViewAssignment, type ViewRound } from '../domain/admissions/result-view';
import { schoolAdmissionSummary, type AdmissionSummary, type SchoolResultPart } from '../domain/admissions/admission-list';
import { placementsAtSchool, yearOfStudents, yearRules } from '../domain/admissions/year-placements';
import { parseCyclePolicy } from '../domain/cycle-policy';
import type { Db } from './index';
import { createApplicationRepository, hotQuery } from './application.repository';
import { createAdmissionRepository } from './admission.repository';
import { loadYearRounds } from './year-placements';

/**
 * Students' published results, stored once per publication
 * (server/domain/admissions/result-view.ts) so that results night reads one
 * row per request instead of rebuilding it.
 */

/** Rows per INSERT: 45,000 students are 9 statements, each one round trip with two arrays. */
const INSERT_CHUNK = 5_000;

/** A stored result without its view: what the ETag of a read is made of. */
export type StoredResultHead = Omit<StoredResultRow, 'view'>;

const RESULT_HEAD_SQL = `
  SELECT v."cycleId", v."mainRoundId", v."supplementaryRoundId", v.version,
         c.decision::text AS decision, c.at AT TIME ZONE 'UTC' AS "decidedAt",
         EXISTS (SELECT 1 FROM "Application" a WHERE a."cycleId" = v."cycleId" AND a."studentId" = v."studentId" AND a.kind = 'main') AS "hasMainApplication",
         EXISTS (SELECT 1 FROM "Application" a WHERE a."cycleId" = v."cycleId" AND a."studentId" = v."studentId" AND a.kind = 'supplementary') AS "hasSupplementaryApplication"
  FROM "StudentResultView" v
  LEFT JOIN "Confirmation" c ON c."roundId" = v."mainRoundId" AND c."studentId" = v."studentId"
  WHERE v."studentId" = $1`;

const RESULT_VIEW_SQL = `SELECT view FROM "StudentResultView" WHERE "studentId" = $1 AND version = $2`;

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

/** A school's list summary stored at publication (model SchoolListSummary). */
export interface StoredSchoolSummary {
  mainRoundId: string;
  supplementaryRoundId: string | null;
  summary: AdmissionSummary;
}

/** The cycle as a publication sees it: the summary counts seats as its policy and phase say. */
export interface PublishingCycle {
  id: string;
  year: number;
  policy: unknown;
  phase: string;
}

export function createResultViewRepository(db: Db) {
  async function publishedRound(cycleId: string, kind: 'main' | 'supplementary'): Promise<ViewRound | null> {
    const rows = await db.$queryRaw<{ id: string; publishedAt: Date | null; schools: unknown; tieBreak: unknown }[]>`
      SELECT id, "publishedAt", result -> 'schools' AS schools, policy -> 'tieBreak' AS "tieBreak" FROM "Round"
      WHERE "cycleId" = ${cycleId} AND kind = ${kind}::"RoundKind" AND status = 'published'
      ORDER BY "publishedAt" DESC NULLS LAST, "createdAt" DESC LIMIT 1`;
    return rows[0] ? { ...rows[0], kind } : null;
  }

  async function findHeadForStudent(studentId: string): Promise<StoredResultHead | null> {
    const rows = await hotQuery<StoredResultHead>(db, { name: 'result.head', text: RESULT_HEAD_SQL, values: [studentId] });
    return rows[0] ?? null;
  }

  async function findView(studentId: string, version: string): Promise<StoredResultView | null> {
    const rows = await hotQuery<{ view: StoredResultView }>(db, { name: 'result.view', text: RESULT_VIEW_SQL, values: [studentId, version] });
    return rows[0]?.view ?? null;
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
     * Rewrites every high school's admission-list summary of the cycle
     * (`schoolAdmissionSummary`: counts by seat type and round, answers,
     * registrations, round 1's cutoffs per seat type with the junior schools
     * named as in that year) as the year stands at this publication. Call it
     * inside the publishing transaction, after the round is marked published
     * (round.service.ts publish). Nothing is written before round 1 is
     * published. Returns the number of schools written.
     */
    async rewriteSchoolSummaries(cycle: PublishingCycle): Promise<number> {
      await db.$executeRaw`DELETE FROM "SchoolListSummary" WHERE "cycleId" = ${cycle.id}`;
      const year = await loadYearRounds(db, cycle.id);
      if (!year.main) return 0;
      const rules = yearRules(parseCyclePolicy(cycle.policy, cycle.year), cycle.phase);
      const [students, registrations, results] = await Promise.all([
        db.$queryRaw<{ id: string; total: number }[]>`SELECT id, total FROM "Student" WHERE "cycleId" = ${cycle.id}`,
        db.$queryRaw<{ highSchoolId: string; studentId: string }[]>`
          SELECT "highSchoolId", "studentId" FROM "EnrollmentRegistration" WHERE "cycleId" = ${cycle.id} AND accepted AND "studentId" IS NOT NULL`,
        db.$queryRaw<{ highSchoolId: string; school: SchoolResultPart }[]>`
          SELECT s.key AS "highSchoolId", s.value AS school
          FROM "Round" r, jsonb_each(CASE WHEN jsonb_typeof(r.result -> 'schools') = 'object' THEN r.result -> 'schools' ELSE '{}'::jsonb END) s
          WHERE r.id = ${year.main.id}`,
      ]);
      const totals = new Map(students.map((s) => [s.id, s.total]));
      const registered = new Set(registrations.map((r) => `${r.highSchoolId}:${r.studentId}`));
      const resultOf = new Map(results.map((r) => [r.highSchoolId, r.school]));
      const years = [...yearOfStudents(year.rows, rules).values()];
      const schoolIds = [...new Set(year.rows.flatMap((r) => (r.highSchoolId ? [r.highSchoolId] : [])).concat([...resultOf.keys()]))].sort();
      const juniorIds = [...new Set(results.flatMap((r) => Object.keys(r.school?.cutoffs?.quota ?? {})))];
      const juniorNames = new Map(
        (juniorIds.length > 0 ? await createAdmissionRepository(db).juniorSchoolNames(cycle.id, juniorIds) : []).map((j) => [j.id, j.name]),
      );
      const summaries = schoolIds.map((highSchoolId) => {
        // The rows of the school's list as admission-list reads them (high-school-portal.service.ts admissionData).
        const rows = placementsAtSchool(years, highSchoolId).flatMap((p) => {
          const total = totals.get(p.studentId);
          if (total === undefined) return [];
          return [{ round: p.round, holdsSeat: p.holdsSeat, seat: p.seat ?? 'open', confirmation: p.answer, registered: p.holdsSeat && registered.has(`${highSchoolId}:${p.studentId}`), total }];
        });
        return JSON.stringify(schoolAdmissionSummary(rows, resultOf.get(highSchoolId) ?? null, juniorNames, true));
      });
      await db.$executeRaw`
        INSERT INTO "SchoolListSummary" ("cycleId", "highSchoolId", "mainRoundId", "supplementaryRoundId", summary)
        SELECT ${cycle.id}, h, ${year.main.id}, ${year.supplementary?.id ?? null}, j::jsonb
        FROM unnest(${schoolIds}::text[], ${summaries}::text[]) AS u(h, j)`;
      return schoolIds.length;
    },

    /** A school's list summary stored at the cycle's last publication, or null. */
    async findSchoolSummary(cycleId: string, highSchoolId: string): Promise<StoredSchoolSummary | null> {
      const rows = await db.$queryRaw<StoredSchoolSummary[]>`
        SELECT "mainRoundId", "supplementaryRoundId", summary FROM "SchoolListSummary" WHERE "cycleId" = ${cycleId} AND "highSchoolId" = ${highSchoolId}`;
      return rows[0] ?? null;
    },

    /**
     * The head of the student's stored result (which rounds, its version)
     * with what can change after publication (the answer to the round-1
     * seat, whether they applied to each round), without the view itself:
     * enough for the ETag, so a 304 or a cached body reads no view. One
     * prepared statement of primary-key and unique-index probes. Null when
     * nothing is stored.
     */
    findHeadForStudent,

    /** The stored view of `version` (null when it was rewritten since: a 补录 published in between). */
    findView,

    /** The head and the view together (tests, tools). */
    async findForStudent(studentId: string): Promise<StoredResultRow | null> {
      const head = await findHeadForStudent(studentId);
      const view = head ? await findView(studentId, head.version) : null;
      return head && view ? { ...head, view } : null;
    },
  };
}

export type ResultViewRepository = ReturnType<typeof createResultViewRepository>;
