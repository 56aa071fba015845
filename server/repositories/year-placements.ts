import type { Prisma } from '../db';
import type { RoundPlacementRow } from '../domain/admissions/year-placements';
import type { Db } from './index';

/**
 * The rows behind "the year as it stands" (server/domain/admissions/year-placements.ts):
 * a cycle's published main round (round 1) and its published 补录, each
 * student's row in them, and the answers to round-1 seats. Every read of
 * admissions loads through here, narrowed by who asks; simulations never count.
 */

export interface PublishedRoundRef {
  id: string;
  kind: 'main' | 'supplementary';
  name: string | null;
  publishedAt: Date | null;
}

/** Which rows to load. Without any, the whole city (the city bureau's dashboard). */
export interface PlacementFilter {
  /** These students only. */
  studentIds?: readonly string[];
  /** Seats at this school (round 1 or 补录). */
  highSchoolId?: string;
  /** Students of this junior school. */
  juniorSchoolId?: string;
  /** Students of this region, or seats at its schools (a county bureau). */
  regionCode?: string;
}

export interface YearRounds {
  main: PublishedRoundRef | null;
  supplementary: PublishedRoundRef | null;
  rows: RoundPlacementRow[];
}

/** The latest published round of a kind in a cycle. */
function publishedRound(db: Db, cycleId: string, kind: 'main' | 'supplementary') {
  return db.round.findFirst({
    where: { cycleId, kind, status: 'published' },
    orderBy: [{ publishedAt: 'desc' }, { createdAt: 'desc' }],
    select: { id: true, kind: true, name: true, publishedAt: true },
  }) as Promise<PublishedRoundRef | null>;
}

function assignmentWhere(filter: PlacementFilter): Prisma.RoundAssignmentWhereInput {
  const and: Prisma.RoundAssignmentWhereInput[] = [];
  if (filter.studentIds) and.push({ studentId: { in: [...filter.studentIds] } });
  if (filter.highSchoolId) and.push({ highSchoolId: filter.highSchoolId });
  if (filter.juniorSchoolId) and.push({ student: { juniorSchoolId: filter.juniorSchoolId } });
  if (filter.regionCode) and.push({ OR: [{ student: { regionCode: filter.regionCode } }, { highSchool: { regionCode: filter.regionCode } }] });
  return and.length > 0 ? { AND: and } : {};
}

/** The published round 1 and 补录 of a cycle with the rows `filter` selects and the answers to round-1 seats. */
export async function loadYearRounds(db: Db, cycleId: string, filter: PlacementFilter = {}): Promise<YearRounds> {
  const [main, supplementary] = await Promise.all([publishedRound(db, cycleId, 'main'), publishedRound(db, cycleId, 'supplementary')]);
  if (!main && !supplementary) return { main, supplementary, rows: [] };
  if (filter.studentIds && filter.studentIds.length === 0) return { main, supplementary, rows: [] };
  const where = assignmentWhere(filter);
  const select = { studentId: true, highSchoolId: true, seat: true, batch: true } as const;
  const [mainRows, supplementaryRows] = await Promise.all([
    main ? db.roundAssignment.findMany({ where: { AND: [{ roundId: main.id }, where] }, select }) : Promise.resolve([]),
    supplementary ? db.roundAssignment.findMany({ where: { AND: [{ roundId: supplementary.id }, where] }, select }) : Promise.resolve([]),
  ]);
  const placedIds = mainRows.filter((r) => r.highSchoolId !== null).map((r) => r.studentId);
  const answers =
    main && placedIds.length > 0
      ? await db.confirmation.findMany({
          where: { roundId: main.id, ...(filter.studentIds || filter.highSchoolId || filter.juniorSchoolId ? { studentId: { in: placedIds } } : {}) },
          select: { studentId: true, decision: true },
        })
      : [];
  const decisionOf = new Map(answers.map((a) => [a.studentId, a.decision]));
  return {
    main,
    supplementary,
    rows: [
      ...mainRows.map((r) => ({ round: 'main' as const, ...r, decision: decisionOf.get(r.studentId) ?? null })),
      ...supplementaryRows.map((r) => ({ round: 'supplementary' as const, ...r, decision: null })),
    ],
  };
}
