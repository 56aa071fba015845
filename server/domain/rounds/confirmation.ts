/**
 * Pure rules of the confirmation window (报到确认) and the supplementary round
 * (补录): what an admitted student's silence counts as, and how many seats
 * each school has left for the supplementary round.
 */

export type Decision = 'confirmed' | 'declined';

/** What a student's answer counts as once the window has closed; `undefined` is silence. */
export function effectiveDecision(answer: Decision | undefined, silenceIsDecline: boolean): Decision {
  if (answer) return answer;
  return silenceIsDecline ? 'declined' : 'confirmed';
}

export interface SeatsLeftInput {
  /** School id -> capacity of its plan. */
  capacity: Record<string, number>;
  /** Student id -> school they hold in the published main round. */
  admitted: Record<string, string>;
  /** Student id -> their answer, for those who answered. */
  answers: Record<string, Decision>;
  silenceIsDecline: boolean;
}

/**
 * Seats left per school for 补录: capacity minus the students who keep their
 * seat (confirmed, or silent where silence does not mean decline). Seats
 * freed by declines and seats never filled are both counted. Never negative.
 */
export function seatsLeft(input: SeatsLeftInput): Record<string, number> {
  const kept = new Map<string, number>();
  for (const [student, school] of Object.entries(input.admitted)) {
    if (effectiveDecision(input.answers[student], input.silenceIsDecline) === 'confirmed') kept.set(school, (kept.get(school) ?? 0) + 1);
  }
  const out: Record<string, number> = {};
  for (const [school, capacity] of Object.entries(input.capacity)) out[school] = Math.max(0, capacity - (kept.get(school) ?? 0));
  return out;
}

/** The cycle's two rules that decide who takes part in 补录 (server/domain/cycle-policy.ts). */
export interface SupplementaryRules {
  /** Silence after the confirmation window counts as declining. */
  silenceIsDecline: boolean;
  /** A student who declined a round-1 seat may take part in 补录 (default: no). */
  declinedMayJoin: boolean;
}

export function supplementaryRules(policy: { silenceCountsAsDecline: boolean; declinedMayJoinSupplementary: boolean }): SupplementaryRules {
  return { silenceIsDecline: policy.silenceCountsAsDecline, declinedMayJoin: policy.declinedMayJoinSupplementary };
}

/**
 * Whether a student may take part in 补录: unplaced in the main round, or
 * gave up the seat where the policy lets decliners in. A decliner kept out
 * cannot win back the seat they declined ahead of students never placed.
 */
export function mayApplySupplementary(admittedSchool: string | undefined, answer: Decision | undefined, rules: SupplementaryRules): boolean {
  if (admittedSchool === undefined) return true;
  return rules.declinedMayJoin && effectiveDecision(answer, rules.silenceIsDecline) === 'declined';
}

/** Whether a student placed in round 1 still holds the seat (answered yes, or is silent where silence keeps it). */
export function keepsSeat(answer: Decision | undefined, silenceIsDecline: boolean): boolean {
  return effectiveDecision(answer, silenceIsDecline) === 'confirmed';
}
