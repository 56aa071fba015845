/**
 * A school's choice among its applicants (ALLOCATION.md §2.3), written as
 * plainly as the rule reads: each step takes students in priority order from
 * those not yet taken. The engine uses an incremental form of the same rule;
 * this one serves the reference implementation and the invariant checker.
 */
import type { CompiledInstance } from './compile';
import { isOpenEligible, isQuotaEligible } from './eligibility';
import type { SeatKind } from './types';

/**
 * Applies school h's choice to `applicants` (student indices, sorted best
 * first) and returns the seat each taken student gets; the rest are rejected.
 */
export function schoolChoice(inst: CompiledInstance, h: number, applicants: readonly number[]): Map<number, SeatKind> {
  const school = inst.schools[h];
  const taken = new Map<number, SeatKind>();

  const takeOpen = (seats: number, label: SeatKind): void => {
    let count = 0;
    for (const s of applicants) {
      if (count >= seats) break;
      if (!taken.has(s) && isOpenEligible(inst, h, s)) {
        taken.set(s, label);
        count++;
      }
    }
  };
  /** Returns the quota seats left empty (U). */
  const takeQuota = (): number => {
    const used = new Map<number, number>();
    let filled = 0;
    for (const s of applicants) {
      if (taken.has(s) || !isQuotaEligible(inst, h, s)) continue;
      const j = inst.studentJunior[s];
      const u = used.get(j) ?? 0;
      if (u < (school.quota.get(j) as number)) {
        used.set(j, u + 1);
        taken.set(s, 'quota');
        filled++;
      }
    }
    return school.quotaSeats - filled;
  };

  let unused: number;
  if (inst.quotaPrecedence === 'openFirst') {
    takeOpen(school.openSeats, 'open');
    unused = takeQuota();
  } else {
    unused = takeQuota();
    takeOpen(school.openSeats, 'open');
  }
  if (inst.revert) takeOpen(unused, 'reverted');
  return taken;
}
