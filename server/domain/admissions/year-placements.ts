/**
 * The year as it stands (本年度录取情况): round 1 (the published main round)
 * with each admitted student's answer, plus the 补录 placements. Every read
 * of admissions (a high school's list and export, its registrations, the
 * junior school's results, the dashboards, the student's own result) goes
 * through `yearOfStudents`, so no view shows only the latest round again.
 *
 * A round-1 seat is held while the student has not declined it; silence
 * counts as the policy says once the confirmation window is over. A 补录
 * placement is final (there is no confirmation step in 补录).
 */
import { effectiveDecision, type Decision } from '../rounds/confirmation';

export type PlacementRound = 'main' | 'supplementary';
export type PlacementSeat = 'open' | 'quota' | 'reverted';

/** One student's row in a published main or supplementary round (highSchoolId null: took part, not placed). */
export interface RoundPlacementRow {
  round: PlacementRound;
  studentId: string;
  highSchoolId: string | null;
  seat: PlacementSeat | null;
  batch: number | null;
  /** The student's answer to a round-1 seat (main rows only); null while silent. */
  decision: Decision | null;
}

export interface YearRules {
  /** The cycle's rule: silence after the confirmation window counts as declining. */
  silenceIsDecline: boolean;
  /** The confirmation window is over: silence now counts as the policy says. */
  confirmationOver: boolean;
}

/** How a round-1 seat stands: answered yes, answered no, or not answered. */
export type SeatAnswer = 'confirmed' | 'declined' | 'pending';

export interface MainStanding {
  highSchoolId: string | null;
  seat: PlacementSeat | null;
  batch: number | null;
  answer: SeatAnswer;
  /** Still holds the round-1 seat (false when unplaced). */
  keeps: boolean;
}

export interface SupplementaryStanding {
  highSchoolId: string | null;
  seat: PlacementSeat | null;
  batch: number | null;
}

/** One student's year: round 1, 补录 (if they took part), and the seat they hold now. */
export interface StudentYear {
  studentId: string;
  main?: MainStanding;
  supplementary?: SupplementaryStanding;
  /** The seat the student holds as the year stands, and the round that gave it; null when none. */
  holds: { highSchoolId: string; round: PlacementRound; seat: PlacementSeat | null; batch: number | null } | null;
}

/** Pure: whether a round-1 seat is still held, given the answer and the rules. */
export function keepsMainSeat(decision: Decision | null, rules: YearRules): boolean {
  if (decision === 'declined') return false;
  if (decision === 'confirmed' || !rules.confirmationOver) return true;
  return effectiveDecision(undefined, rules.silenceIsDecline) === 'confirmed';
}

/** Pure: every student's year from the rows of the two published rounds. */
export function yearOfStudents(rows: readonly RoundPlacementRow[], rules: YearRules): Map<string, StudentYear> {
  const years = new Map<string, StudentYear>();
  const of = (studentId: string) => {
    let year = years.get(studentId);
    if (!year) years.set(studentId, (year = { studentId, holds: null }));
    return year;
  };
  for (const row of rows) {
    const year = of(row.studentId);
    if (row.round === 'main') {
      const placed = row.highSchoolId !== null;
      year.main = {
        highSchoolId: row.highSchoolId,
        seat: row.seat,
        batch: row.batch,
        answer: row.decision ?? 'pending',
        keeps: placed && keepsMainSeat(row.decision, rules),
      };
    } else {
      year.supplementary = { highSchoolId: row.highSchoolId, seat: row.seat, batch: row.batch };
    }
  }
  for (const year of years.values()) {
    // A 补录 seat comes after round 1: it is the one the student holds.
    if (year.supplementary?.highSchoolId) {
      year.holds = { highSchoolId: year.supplementary.highSchoolId, round: 'supplementary', seat: year.supplementary.seat, batch: year.supplementary.batch };
    } else if (year.main?.keeps && year.main.highSchoolId) {
      year.holds = { highSchoolId: year.main.highSchoolId, round: 'main', seat: year.main.seat, batch: year.main.batch };
    }
  }
  return years;
}

/** One row of a school's list: a round-1 seat there (kept or not) or a 补录 placement there. */
export interface SchoolPlacement {
  studentId: string;
  round: PlacementRound;
  seat: PlacementSeat | null;
  batch: number | null;
  /** Round 1: the student's answer; 补录: null (no confirmation step). */
  answer: SeatAnswer | null;
  /** Counts in the school's 录取人数: a round-1 seat kept, or a 补录 placement. */
  holdsSeat: boolean;
}

/**
 * Pure: a school's rows as the year stands, round 1 first. A student who
 * declined the school in round 1 and was placed there again in 补录 has two
 * rows (declined, then 补录); only the second counts.
 */
export function placementsAtSchool(years: Iterable<StudentYear>, highSchoolId: string): SchoolPlacement[] {
  const out: SchoolPlacement[] = [];
  for (const year of years) {
    if (year.main?.highSchoolId === highSchoolId) {
      out.push({ studentId: year.studentId, round: 'main', seat: year.main.seat, batch: year.main.batch, answer: year.main.answer, holdsSeat: year.main.keeps });
    }
    if (year.supplementary?.highSchoolId === highSchoolId) {
      out.push({ studentId: year.studentId, round: 'supplementary', seat: year.supplementary.seat, batch: year.supplementary.batch, answer: null, holdsSeat: true });
    }
  }
  return out.sort((a, b) => (a.round === b.round ? 0 : a.round === 'main' ? -1 : 1));
}

/** Pure: the phases after the confirmation window, where silence counts as the policy says. */
export function confirmationOverIn(phase: string): boolean {
  return phase === 'supplementary' || phase === 'registration' || phase === 'closed';
}

/** Pure: the rules of a cycle as they apply in `phase` (the cycle policy's silence rule). */
export function yearRules(policy: { silenceCountsAsDecline: boolean }, phase: string): YearRules {
  return { silenceIsDecline: policy.silenceCountsAsDecline, confirmationOver: confirmationOverIn(phase) };
}
