/**
 * Checks a student's ranked choices (志愿) before they are saved: per batch at
 * most the policy's maximum, each school known, of that batch, listed once,
 * and open to the student (eligibility.ts). Pure: the service passes the
 * schools and the student in.
 */
import { refusalReasons, schoolEligibility, type EligibilitySchool, type EligibilityStudent, type Reason } from './eligibility';
import { maxChoicesFor } from '../cycle-policy';

export interface ChoiceSchool extends EligibilitySchool {
  id: string;
  batch: number;
  /** For the supplementary round: seats still free; undefined when not limited. */
  seatsLeft?: number;
}

/** Batch number (as a decimal string) -> school ids in order of preference. */
export type Choices = Record<string, string[]>;

export interface ChoiceProblem {
  /** Dot path into the request, e.g. `choices.1.2` (batch 1, third school) or `choices.2`. */
  field: string;
  batch: number;
  /** Position in the batch's list (0-based); absent for a problem with the whole batch. */
  index?: number;
  school?: string;
  reasons: Reason[];
}

export interface CheckChoicesInput {
  choices: Choices;
  student: EligibilityStudent;
  /** Every school that may be listed, by id. */
  schools: ReadonlyMap<string, ChoiceSchool>;
  limits: Readonly<Record<string, number>>;
}

/** Every problem of a list of choices, in batch then list order; empty when it can be saved. */
export function checkChoices(input: CheckChoicesInput): ChoiceProblem[] {
  const problems: ChoiceProblem[] = [];
  const batches = Object.keys(input.choices).sort((a, b) => Number(a) - Number(b));
  for (const key of batches) {
    const batch = Number(key);
    const list = input.choices[key];
    const max = maxChoicesFor(input.limits, batch);
    if (list.length > max) {
      problems.push({ field: `choices.${key}`, batch, reasons: [{ code: 'tooMany', params: { batch, max } }] });
    }
    const seen = new Set<string>();
    list.forEach((schoolId, index) => {
      const field = `choices.${key}.${index}`;
      const refuse = (reasons: Reason[]) => problems.push({ field, batch, index, school: schoolId, reasons });
      const school = input.schools.get(schoolId);
      if (!school) return refuse([{ code: 'unknownSchool', params: { school: schoolId } }]);
      if (seen.has(schoolId)) return refuse([{ code: 'duplicate', params: { school: schoolId } }]);
      seen.add(schoolId);
      if (school.batch !== batch) return refuse([{ code: 'wrongBatch', params: { batch, schoolBatch: school.batch } }]);
      const reasons = listingRefusal(input.student, school);
      if (reasons.length > 0) refuse(reasons);
    });
  }
  return problems;
}

/**
 * Why the student may not list this school at all (empty when they may): no
 * seats left in the supplementary round, or neither an open nor a quota seat
 * is open to them. A school they may list can still be a useless choice (a
 * cutoff above their total); that is theirs to judge, not refused here.
 */
export function listingRefusal(student: EligibilityStudent, school: ChoiceSchool): Reason[] {
  if (school.seatsLeft !== undefined && school.seatsLeft <= 0) return [{ code: 'noSeatsLeft', params: {} }];
  return refusalReasons(schoolEligibility(student, school));
}

/** The choices without empty batches, keys as plain decimals: the form stored and given to the engine. */
export function normalizeChoices(choices: Readonly<Record<string, readonly string[]>>): Choices {
  const out: Choices = {};
  for (const key of Object.keys(choices).sort((a, b) => Number(a) - Number(b))) {
    if (choices[key].length > 0) out[String(Number(key))] = [...choices[key]];
  }
  return out;
}
