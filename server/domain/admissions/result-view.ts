/**
 * A student's published result as it is stored at publication (results
 * night: 900,000 families read it at one fixed hour): everything of
 * GET /api/student/result that cannot change once the round is published
 * (the placement per round, the reasons with the cutoffs behind them, in no
 * language yet) is built here once per student, so a read only adds what
 * can still change (the answer to the seat, the phase) and renders the
 * reasons in the reader's language.
 */
import type { Grade } from '../allocation/types';
import { explainAssignment } from '../applications/explain';
import { tieBreakValues } from '../applications/tie-break';
import type { Reason } from '../applications/eligibility';
import type { PlacementSeat, RoundPlacementRow } from './year-placements';

export interface ResultSchool {
  id: string;
  name: string;
}

/** One published round as the student sees it, reasons not yet rendered. */
export interface StoredSection {
  round: { id: string; kind: 'main' | 'supplementary'; publishedAt: string | null };
  /** The student has a row in this round (took part). */
  took: boolean;
  placed: boolean;
  school: ResultSchool | null;
  seat: PlacementSeat | null;
  batch: number | null;
  explanations: { school: ResultSchool; batch: number; reasons: Reason[] }[];
}

/** What `StudentResultView.view` holds. */
export interface StoredResultView {
  total: number;
  main: StoredSection;
  /** 补录, when it is published and the student took part. */
  supplementary: StoredSection | null;
}

export interface ViewRound {
  id: string;
  kind: 'main' | 'supplementary';
  publishedAt: Date | null;
  /** Round.result.schools, for the cutoffs. */
  schools: unknown;
  /** Round.policy.tieBreak: with the student's scores, a tie at the cutoff names the key that decided. */
  tieBreak?: unknown;
}

export interface ViewAssignment {
  highSchoolId: string | null;
  seat: string | null;
  batch: number | null;
  explanation: unknown;
}

export interface ViewStudent {
  total: number;
  evaluation: string;
  juniorSchoolId: string;
  /** The scores behind the tie-break keys (optional: without them a tie is explained by the totals only). */
  scores?: unknown;
}

/** The round's tie-break keys, when its policy lists them. */
export function roundTieBreakKeys(tieBreak: unknown): string[] | undefined {
  return Array.isArray(tieBreak) && tieBreak.every((k) => typeof k === 'string') ? (tieBreak as string[]) : undefined;
}

export interface ViewPlan {
  name: string;
  region: string;
  minScore: number | null;
  minEvaluation: Grade | null;
  quotaMinScore: number | null;
  quotaMinEvaluation: Grade | null;
}

/** A published plan as the result needs it (name, region and the minimums the explanations cite), by school id. */
export function viewPlans(
  plans: readonly {
    highSchoolId: string;
    highSchool: { name: string; region: { name: string } };
    minScore: number | null;
    minEvaluation: string | null;
    quotaMinScore: number | null;
    quotaMinEvaluation: string | null;
  }[],
): Map<string, ViewPlan> {
  return new Map(
    plans.map((p) => [
      p.highSchoolId,
      {
        name: p.highSchool.name,
        region: p.highSchool.region.name,
        minScore: p.minScore,
        minEvaluation: p.minEvaluation as Grade | null,
        quotaMinScore: p.quotaMinScore,
        quotaMinEvaluation: p.quotaMinEvaluation as Grade | null,
      },
    ]),
  );
}

/**
 * Why a student was not placed higher in one round, naming the deciding
 * tie-break key where a tie decided (the stored view and its fallback read
 * both explain through here).
 */
export function explainStudent(props: {
  student: ViewStudent;
  explanation: unknown;
  schools: unknown;
  tieBreak: unknown;
  plans: ReadonlyMap<string, ViewPlan>;
}) {
  const { student } = props;
  const keys = roundTieBreakKeys(props.tieBreak);
  return explainAssignment({
    explanation: props.explanation,
    schools: props.schools ?? undefined,
    student: {
      total: student.total,
      evaluation: student.evaluation as Grade,
      junior: student.juniorSchoolId,
      tieBreak: keys ? tieBreakValues(keys, { evaluation: student.evaluation, scores: student.scores }) : undefined,
    },
    tieBreakKeys: keys,
    plans: props.plans,
  });
}

/** Pure: one student's stored result from the published rounds, their rows in them and the cycle's plans. */
export function buildResultView(props: {
  student: ViewStudent;
  main: { round: ViewRound; assignment: ViewAssignment | undefined };
  supplementary: { round: ViewRound; assignment: ViewAssignment | undefined } | null;
  plans: ReadonlyMap<string, ViewPlan>;
}): StoredResultView {
  const { student, plans } = props;
  const schoolOf = (id: string): ResultSchool => ({ id, name: plans.get(id)?.name ?? id });
  const section = (round: ViewRound, assignment: ViewAssignment | undefined): StoredSection => {
    const explanations = assignment
      ? explainStudent({ student, explanation: assignment.explanation, schools: round.schools, tieBreak: student.scores !== undefined ? round.tieBreak : undefined, plans }).map(
          (e) => ({ school: schoolOf(e.school), batch: e.batch, reasons: e.reasons }),
        )
      : [];
    const placed = (assignment?.highSchoolId ?? null) !== null;
    return {
      round: { id: round.id, kind: round.kind, publishedAt: round.publishedAt?.toISOString() ?? null },
      took: assignment !== undefined,
      placed,
      school: placed ? schoolOf(assignment!.highSchoolId!) : null,
      seat: (assignment?.seat ?? null) as PlacementSeat | null,
      batch: assignment?.batch ?? null,
      explanations,
    };
  };
  const supplementary = props.supplementary?.assignment ? section(props.supplementary.round, props.supplementary.assignment) : null;
  return { total: student.total, main: section(props.main.round, props.main.assignment), supplementary };
}

/** Pure: the rows `yearOfStudents` reads, from a stored view and the student's answer to the round-1 seat. */
export function placementRowsOf(studentId: string, view: StoredResultView, decision: RoundPlacementRow['decision']): RoundPlacementRow[] {
  const rows: RoundPlacementRow[] = [];
  if (view.main.took) {
    rows.push({ round: 'main', studentId, highSchoolId: view.main.school?.id ?? null, seat: view.main.seat, batch: view.main.batch, decision: view.main.placed ? decision : null });
  }
  if (view.supplementary) {
    const s = view.supplementary;
    rows.push({ round: 'supplementary', studentId, highSchoolId: s.school?.id ?? null, seat: s.seat, batch: s.batch, decision: null });
  }
  return rows;
}
