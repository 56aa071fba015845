import { parseCyclePolicy, isTieBreakKey } from '../domain/cycle-policy';
import {
  countAbove,
  guidanceBand,
  rankFromTable,
  rankKey,
  scoreTableFromCounts,
  tableTotal,
  type Guidance,
  type RankKey,
  type ScoreTableRow,
} from '../domain/ranking';
import { AppError } from '../errors';
import type { UnitOfWork } from '../repositories';
import { createReadCache } from '../repositories/read-cache';
import type { RankRow, ScoreCountRow } from '../repositories/ranking.repository';
import type { CycleService } from './cycle.service';

/**
 * 位次 (rank), the public 一分一段表 (score table) and the 冲/稳/保 guidance
 * of the student pages, over the pure rules of server/domain/ranking.
 *
 * What a rank costs: the cycle's grouped count (scores per total and
 * region, about 8,000 rows at 45,000 students) comes from the read cache,
 * its tables are built once per cached copy; then one indexed statement
 * reads the students tied on the total (about a hundred at most in the demo
 * city) to settle the tie-break keys. Measured on the 45k demo city (EXPLAIN ANALYZE, quiet machine): the
 * grouped count 20 ms once per cache TTL, the tie statement 0.2 ms, against
 * 12-15 ms for a per-request `count(*) WHERE total > …` (a sequential scan
 * once most of the city is above) plus 1.5 ms for the region's. Through the
 * API process on a loaded 2-core machine: 6-22 ms per rank against 22-44 ms
 * for the two counts alone.
 */

/** The cycle's tables: city-wide and per region, each highest score first. */
export interface ScoreTables {
  city: ScoreTableRow[];
  byRegion: Map<string, ScoreTableRow[]>;
}

/** Tables built from one cached copy of the grouped count are built once (the copy is the key). */
const builtTables = new WeakMap<ScoreCountRow[], ScoreTables>();

function tablesOf(counts: ScoreCountRow[]): ScoreTables {
  let tables = builtTables.get(counts);
  if (!tables) {
    const regions = new Map<string, ScoreCountRow[]>();
    for (const row of counts) regions.set(row.regionCode, [...(regions.get(row.regionCode) ?? []), row]);
    tables = {
      city: scoreTableFromCounts(counts),
      byRegion: new Map([...regions].map(([code, rows]) => [code, scoreTableFromCounts(rows)])),
    };
    builtTables.set(counts, tables);
  }
  return tables;
}

/** The 一分一段 tables of a cycle's scored students. */
export async function loadScoreTables(uow: UnitOfWork<'ranking'>, cycleId: string): Promise<ScoreTables> {
  return tablesOf(await uow.repos.ranking.scoreCounts(cycleId));
}

/** The tie-break keys of a cycle's published allocation policy (ALLOCATION.md §2.1). */
export function cycleTieBreak(cycle: { policy: unknown; year: number }): string[] {
  return [...(parseCyclePolicy(cycle.policy, cycle.year).allocation.tieBreak ?? [])];
}

/** A student's scores were imported: a non-empty object (as the repository's SCORED counts them). */
function hasScores(scores: unknown): boolean {
  return Boolean(scores) && typeof scores === 'object' && !Array.isArray(scores) && Object.keys(scores as object).length > 0;
}

const keyOf = (row: Pick<RankRow, 'total' | 'scores' | 'evaluation'>, tieBreak: readonly string[]): RankKey =>
  rankKey({ total: row.total, evaluation: row.evaluation, scores: row.scores as Record<string, number | null> | null }, tieBreak);

/** A student's 位次: in the city and in their region, with the number of students each counts. */
export interface StudentRank {
  city: number;
  region: number;
  /** Students ranked in the city. */
  total: number;
  /** Students ranked in the student's region. */
  regionTotal: number;
}

/**
 * The student's city and region rank in their own cycle, by its published
 * tie-break order; null before their scores are imported.
 */
export async function loadStudentRank(
  uow: UnitOfWork<'ranking'>,
  student: { cycleId: string; regionCode: string; total: number; scores: unknown; evaluation: string },
  cycle: { policy: unknown; year: number },
): Promise<StudentRank | null> {
  if (!hasScores(student.scores)) return null;
  const [tables, tied] = await Promise.all([loadScoreTables(uow, student.cycleId), uow.repos.ranking.tiedAt(student.cycleId, [student.total])]);
  const regionTable = tables.byRegion.get(student.regionCode) ?? [];
  if (tableTotal(tables.city) === 0) return null;
  const tieBreak = cycleTieBreak(cycle);
  const key = keyOf(student as RankRow, tieBreak);
  const tiedKeys = tied.map((row) => ({ region: row.regionCode, key: keyOf(row, tieBreak) }));
  return {
    city: rankFromTable(key, countAbove(tables.city, student.total), tiedKeys.map((t) => t.key)),
    region: rankFromTable(key, countAbove(regionTable, student.total), tiedKeys.filter((t) => t.region === student.regionCode).map((t) => t.key)),
    total: tableTotal(tables.city),
    regionTotal: tableTotal(regionTable),
  };
}

/** Last year's cutoff of a school: the score and the city rank of its last admitted student. */
export interface LastYearCutoff {
  score: number;
  rank: number;
}

/** A published round never changes: its cutoff ranks are computed once per process. */
const cutoffRanks = createReadCache({ ttlMs: Number.POSITIVE_INFINITY, maxEntries: 8 });

/**
 * Each school's cutoff in the published main round of the year before
 * `cycleId`'s, as a score and as a rank in that year's city ranking (by the
 * tie-break order that round was run with); null when there is no such round.
 */
export async function loadLastYearCutoffs(uow: UnitOfWork<'ranking'>, cycleId: string): Promise<Map<string, LastYearCutoff> | null> {
  const repo = uow.repos.ranking;
  const round = await repo.previousMainRound(cycleId);
  if (!round) return null;
  return cutoffRanks.get(round.id, async () => {
    const stored = Array.isArray(round.tieBreak) && round.tieBreak.every((k) => typeof k === 'string' && isTieBreakKey(k)) ? (round.tieBreak as string[]) : null;
    const tieBreak = stored ?? cycleTieBreak({ policy: round.cyclePolicy, year: round.year });
    const cutoffs = await repo.roundCutoffStudents(round.id);
    const students = await repo.studentsByExamNo(round.cycleId, cutoffs.map((c) => c.examNo));
    const [tables, tied] = await Promise.all([loadScoreTables(uow, round.cycleId), repo.tiedAt(round.cycleId, [...new Set(students.map((s) => s.total))])]);
    const tiedByTotal = new Map<number, RankKey[]>();
    for (const row of tied) tiedByTotal.set(row.total, [...(tiedByTotal.get(row.total) ?? []), keyOf(row, tieBreak)]);
    const byExamNo = new Map(students.map((s) => [s.examNo, s]));
    const out = new Map<string, LastYearCutoff>();
    for (const cutoff of cutoffs) {
      const student = byExamNo.get(cutoff.examNo);
      if (!student) continue; // a record no longer there: the score still shows, without a rank
      const rank = rankFromTable(keyOf(student, tieBreak), countAbove(tables.city, student.total), tiedByTotal.get(student.total) ?? []);
      out.set(cutoff.highSchoolId, { score: cutoff.total, rank });
    }
    return out;
  });
}

/** What the student pages add to each school: last year's cutoff rank and the band (null: no previous year, or no rank). */
export interface SchoolGuidance {
  previousCutoffRank: number | null;
  guidance: Guidance | null;
}

/** The student's rank and last year's cutoffs: everything the bands are read from. */
export interface StudentRanking {
  rank: StudentRank | null;
  lastYear: Map<string, LastYearCutoff> | null;
}

/** A student's rank and the previous year's cutoff ranks, read together. */
export async function loadStudentRanking(
  uow: UnitOfWork<'ranking'>,
  student: { cycleId: string; regionCode: string; total: number; scores: unknown; evaluation: string },
  cycle: { policy: unknown; year: number },
): Promise<StudentRanking> {
  const [rank, lastYear] = await Promise.all([loadStudentRank(uow, student, cycle), loadLastYearCutoffs(uow, student.cycleId)]);
  return { rank, lastYear };
}

/** Pure: the cutoff rank and the 冲/稳/保 band of one school for the student. */
export function schoolGuidance(ranking: StudentRanking, schoolId: string): SchoolGuidance {
  const cutoff = ranking.lastYear?.get(schoolId);
  return {
    previousCutoffRank: cutoff?.rank ?? null,
    guidance: cutoff ? guidanceBand({ rank: ranking.rank?.city ?? null, cutoffRank: cutoff.rank, cutoffScore: cutoff.score }) : null,
  };
}

/** Pure: the schools of each batch with last year's cutoff rank and the band added. */
export function withGuidance<S extends { id: string }, B extends { schools: S[] }>(batches: B[], ranking: StudentRanking): (Omit<B, 'schools'> & { schools: (S & SchoolGuidance)[] })[] {
  return batches.map((b) => ({ ...b, schools: b.schools.map((s) => ({ ...s, ...schoolGuidance(ranking, s.id) })) }));
}

/** The public 一分一段表: the city's or one region's, of the current cycle or a given one. */
export function createScoreTableService(deps: { uow: UnitOfWork<'ranking'>; cycles: CycleService }) {
  const { uow, cycles } = deps;
  return {
    /** UNKNOWN_REGION (404) for a region the cycle does not have; NOT_FOUND for an unknown cycleId. */
    async scoreTable(props: { region?: string; cycleId?: string }) {
      const cycle = await cycles.forRead(props.cycleId);
      const [tables, regions] = await Promise.all([loadScoreTables(uow, cycle.id), uow.repos.ranking.cycleRegions(cycle.id)]);
      const region = props.region === undefined ? null : regions.find((r) => r.code === props.region);
      if (region === undefined) throw new AppError('UNKNOWN_REGION', { field: 'region', params: { code: props.region ?? '' } });
      const rows = region ? (tables.byRegion.get(region.code) ?? []) : tables.city;
      return {
        cycle: { id: cycle.id, year: cycle.year, name: cycle.name },
        region,
        regions,
        /** Students the table counts. */
        total: tableTotal(rows),
        rows,
      };
    },
  };
}

export type ScoreTableService = ReturnType<typeof createScoreTableService>;
