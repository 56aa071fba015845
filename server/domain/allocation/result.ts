/**
 * Turns a matching into the result of ALLOCATION.md §2.5, with the extras the
 * portals show: per-school cutoffs by seat category and quota use, and for
 * every student why each school listed above theirs did not take them.
 */
import { canonicalJson, compareCanonicalKeys, isIndexKey } from '../rounds/canonical';
import { GRADE_LETTER, type CompiledInstance } from './compile';
import { NO_SCHOOL, SEAT_OPEN, SEAT_QUOTA, SEAT_REVERTED, type Matching } from './matching';
import type { PriorityOrder } from './priority';
import {
  ALLOCATION_RESULT_FORMAT,
  type AllocationResult,
  type Assignment,
  type PriorityView,
  type RejectionReason,
  type SchoolResult,
  type SeatKind,
  type StudentExplanation,
} from './types';

const SEAT_NAMES: readonly SeatKind[] = ['open', 'quota', 'reverted'];

/** The lowest-priority holder of each group of seats of one school. */
interface SchoolHolders {
  admitted: number;
  counts: [number, number, number];
  worst: number;
  worstBySeat: [number, number, number];
  /** junior index -> [count, worst rank] */
  quotaByJunior: Map<number, [number, number]>;
}

/** The per-school fields of §2.5 (and, with `explain`, quota use and cutoffs by seat category). */
export function summarizeSchools(inst: CompiledInstance, prio: PriorityOrder, matching: Matching, explain: boolean): Record<string, SchoolResult> {
  const { order } = prio;
  const ids = inst.studentIds;
  const holders: SchoolHolders[] = inst.schools.map(() => ({
    admitted: 0,
    counts: [0, 0, 0],
    worst: -1,
    worstBySeat: [-1, -1, -1],
    quotaByJunior: new Map(),
  }));
  for (let r = 0; r < order.length; r++) {
    const s = order[r];
    const h = matching.schoolOf[s];
    if (h === NO_SCHOOL) continue;
    const seat = matching.seatOf[s];
    const hs = holders[h];
    hs.admitted++;
    hs.counts[seat]++;
    hs.worst = r;
    hs.worstBySeat[seat] = r;
    if (seat === SEAT_QUOTA) {
      const j = inst.studentJunior[s];
      const q = hs.quotaByJunior.get(j);
      if (q) {
        q[0]++;
        q[1] = r;
      } else hs.quotaByJunior.set(j, [1, r]);
    }
  }

  const view = (r: number): PriorityView => {
    const s = order[r];
    return {
      student: ids[s],
      total: inst.total[s],
      tieBreak: inst.tieBreak.map((key, k) => {
        const v = prio.columns[k][s];
        if (v === -Infinity) return null;
        return key === 'evaluation' ? GRADE_LETTER[v] : v;
      }),
      rank: r + 1,
    };
  };

  const schools: Record<string, SchoolResult> = {};
  inst.schools.forEach((school, h) => {
    const hs = holders[h];
    const result: SchoolResult = {
      capacity: school.capacity,
      admitted: hs.admitted,
      open: hs.counts[SEAT_OPEN],
      quota: hs.counts[SEAT_QUOTA],
      reverted: hs.counts[SEAT_REVERTED],
    };
    if (hs.worst >= 0) result.lastAdmitted = ids[order[hs.worst]];
    if (explain) {
      const quotaUsed: Record<string, number> = {};
      const quotaCutoffs: Record<string, PriorityView> = {};
      for (const [j, [count, worst]] of hs.quotaByJunior) {
        quotaUsed[inst.juniorIds[j]] = count;
        quotaCutoffs[inst.juniorIds[j]] = view(worst);
      }
      result.quotaUsed = quotaUsed;
      result.cutoffs = {};
      if (hs.worstBySeat[SEAT_OPEN] >= 0) result.cutoffs.open = view(hs.worstBySeat[SEAT_OPEN]);
      if (hs.quotaByJunior.size > 0) result.cutoffs.quota = quotaCutoffs;
      if (hs.worstBySeat[SEAT_REVERTED] >= 0) result.cutoffs.reverted = view(hs.worstBySeat[SEAT_REVERTED]);
    }
    schools[school.id] = result;
  });
  return schools;
}

/** Builds the §2.5 result (and, with `explain`, explanations and cutoffs) from a matching. */
export function buildResult(
  inst: CompiledInstance,
  prio: PriorityOrder,
  matching: Matching,
  options: { explain: boolean },
): AllocationResult {
  const { order } = prio;
  const ids = inst.studentIds;
  const assignments: Record<string, Assignment> = {};
  const unassigned: string[] = [];
  // One frozen object per school and seat, shared by its holders (a province has a million of them); keys in canonical order.
  const assignmentOf = inst.schools.map((school) => SEAT_NAMES.map((seat) => Object.freeze({ batch: school.batch, school: school.id, seat })));
  for (let r = 0; r < order.length; r++) {
    const s = order[r];
    const h = matching.schoolOf[s];
    if (h === NO_SCHOOL) unassigned.push(ids[s]);
    else assignments[ids[s]] = assignmentOf[h][matching.seatOf[s]];
  }
  const out: AllocationResult = {
    format: ALLOCATION_RESULT_FORMAT,
    assignments,
    unassigned,
    schools: summarizeSchools(inst, prio, matching, options.explain),
  };
  if (options.explain) {
    const explanations: Record<string, StudentExplanation[]> = {};
    forEachExplanation(inst, matching, (s, list) => (explanations[ids[s]] = list));
    out.explanations = explanations;
  }
  out.stats = { proposals: matching.proposals, batches: inst.batches };
  return out;
}

/**
 * Writes the same result as `buildResult` as its canonical JSON text
 * (server/domain/rounds/canonical.ts: members in key order, no whitespace), in
 * chunks, without building a million objects first: what the command line
 * writes and a round stores and hashes. The text equals
 * `canonicalJson(buildResult(...))` (a property test checks it).
 */
export function serializeResult(
  inst: CompiledInstance,
  prio: PriorityOrder,
  matching: Matching,
  options: {
    explain: boolean;
    chunkSize?: number;
    /** summarizeSchools(inst, prio, matching, explain), when the caller has it already. */
    schools?: Record<string, SchoolResult>;
    /**
     * With `explain`: called for every student, in the order the explanations are written, with the
     * student's explanation text (undefined when there is none) as it is written: a round writes its
     * assignment rows from the same pass.
     */
    eachStudent?: (s: number, explanation: string | undefined) => void;
  },
  write: (chunk: string) => void,
): void {
  const { order } = prio;
  const quotedId = inst.studentIds.map((id) => JSON.stringify(id));
  // Members in canonical order: batch, school, seat.
  const assignmentText = inst.schools.map((school) =>
    SEAT_NAMES.map((seat) => `{"batch":${school.batch},"school":${JSON.stringify(school.id)},"seat":"${seat}"}`),
  );
  const keyOrder = canonicalKeyOrder(inst.studentIds);
  const CHUNK = options.chunkSize ?? 20_000;
  let parts: string[] = [];
  const flush = (force = false) => {
    if (parts.length >= CHUNK || (force && parts.length > 0)) {
      write(parts.join(','));
      parts = [];
    }
  };
  // Between chunks of the same list the separating comma is written by hand.
  let wroteAny = false;
  const add = (text: string) => {
    if (parts.length === 0 && wroteAny) write(',');
    parts.push(text);
    wroteAny = true;
    flush();
  };
  const endList = () => {
    flush(true);
    wroteAny = false;
  };

  write('{"assignments":{');
  for (let i = 0; i < inst.studentIds.length; i++) {
    const s = keyOrder === STUDENT_ORDER ? i : keyOrder[i];
    const h = matching.schoolOf[s];
    if (h !== NO_SCHOOL) add(`${quotedId[s]}:${assignmentText[h][matching.seatOf[s]]}`);
  }
  endList();
  write('}');
  if (options.explain) {
    write(',"explanations":{');
    const each = options.eachStudent;
    const entry = (s: number, text: string | undefined) => {
      if (text !== undefined) add(`${quotedId[s]}:${text}`);
      each?.(s, text);
    };
    if (keyOrder === STUDENT_ORDER) {
      // Written as they are made, in student order (the students without one in between).
      let next = 0;
      forEachExplanationText(inst, matching, (s, text) => {
        for (; next < s; next++) entry(next, undefined);
        entry(s, text);
        next = s + 1;
      });
      for (; next < inst.studentIds.length; next++) entry(next, undefined);
    } else {
      const texts: (string | undefined)[] = new Array(inst.studentIds.length);
      forEachExplanationText(inst, matching, (s, text) => (texts[s] = text));
      for (let i = 0; i < keyOrder.length; i++) entry(keyOrder[i], texts[keyOrder[i]]);
    }
    endList();
    write('}');
  }
  write(`,"format":"${ALLOCATION_RESULT_FORMAT}","schools":${canonicalJson(options.schools ?? summarizeSchools(inst, prio, matching, options.explain))}`);
  write(`,"stats":${canonicalJson({ proposals: matching.proposals, batches: inst.batches })},"unassigned":[`);
  for (let r = 0; r < order.length; r++) {
    const s = order[r];
    if (matching.schoolOf[s] === NO_SCHOOL) add(quotedId[s]);
  }
  endList();
  write(']}');
}

/** canonicalKeyOrder's answer when the students' own order is the canonical one. */
const STUDENT_ORDER = Symbol('student order');

/**
 * The students in the order canonical JSON writes them as keys: index-like ids
 * (JavaScript enumerates them first) ascending as numbers, then the others in
 * UTF-16 order. A round's students come sorted by id already: then no sort.
 */
function canonicalKeyOrder(ids: readonly string[]): typeof STUDENT_ORDER | number[] {
  let sorted = true;
  for (let s = 0; s < ids.length && sorted; s++) if (isIndexKey(ids[s]) || (s > 0 && !(ids[s - 1] < ids[s]))) sorted = false;
  if (sorted) return STUDENT_ORDER;
  return ids.map((_, s) => s).sort((a, b) => compareCanonicalKeys(ids[a], ids[b]));
}

/**
 * Each student's explanation (the `explanations` entry of buildResult) as its
 * canonical JSON text, in student order; students without one are skipped.
 * The shared entries are written (and encoded) once each.
 */
export function forEachExplanationText(
  inst: CompiledInstance,
  matching: Matching,
  emit: (s: number, text: string) => void,
  /** Applied to each entry's text (once per shared entry), e.g. an escaping; brackets and commas are left as they are. */
  encode: (entry: string) => string = (entry) => entry,
): void {
  const entryText = new Map<StudentExplanation, string>();
  forEachExplanation(inst, matching, (s, list) => {
    let text = '[';
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      let t = entryText.get(e);
      if (t === undefined) {
        t = encode(canonicalJson(e));
        entryText.set(e, t);
      }
      text += (i > 0 ? ',' : '') + t;
    }
    emit(s, `${text}]`);
  });
}

const REASONS: readonly RejectionReason[] = [
  'outOfRegion',
  'belowMinScore',
  'belowMinEvaluation',
  'openFull',
  'noOpenSeats',
  'notQuotaEligible',
  'noQuotaForJunior',
  'belowQuotaMinScore',
  'belowQuotaMinEvaluation',
  'quotaFull',
  'revertedFull',
];
const BIT = Object.fromEntries(REASONS.map((r, i) => [r, 1 << i])) as Record<RejectionReason, number>;

/**
 * Calls `emit` for every student who listed a school above the one they got
 * (every listed school, if unassigned) with those schools and why not, in
 * student order. Entries with the same school and reasons are one shared
 * object: a million students share a few thousand of them.
 */
function forEachExplanation(inst: CompiledInstance, matching: Matching, emit: (s: number, list: StudentExplanation[]) => void): void {
  const interned = new Map<number, StudentExplanation>();
  const n = inst.studentIds.length;
  for (let s = 0; s < n; s++) {
    const got = matching.schoolOf[s];
    const end = inst.choiceOffset[s + 1];
    let k = inst.choiceOffset[s];
    if (k === end || inst.choiceSchool[k] === got) continue;
    const list: StudentExplanation[] = [];
    for (; k < end; k++) {
      const h = inst.choiceSchool[k];
      if (h === got) break;
      const mask = rejectionMask(inst, h, s);
      const key = h * 4096 + mask;
      let entry = interned.get(key);
      if (!entry) {
        entry = { batch: inst.schools[h].batch, reasons: REASONS.filter((r) => mask & BIT[r]), school: inst.schools[h].id }; // canonical key order
        interned.set(key, entry);
      }
      list.push(entry);
    }
    emit(s, list);
  }
}

/** rejectionReasons as a bit mask over REASONS, allocation-free. */
function rejectionMask(inst: CompiledInstance, h: number, s: number): number {
  const school = inst.schools[h];
  const inScope = school.cityScope || inst.schoolRegion[h] === inst.studentRegion[s];
  const total = inst.total[s];
  const grade = inst.evaluation[s];
  let mask = 0;
  if (!inScope) mask |= BIT.outOfRegion;
  if (school.minScore !== null && total < school.minScore) mask |= BIT.belowMinScore;
  if (grade < school.minEvaluation) mask |= BIT.belowMinEvaluation;
  const openEligible = mask === 0;
  if (openEligible) mask |= school.openSeats === 0 ? BIT.noOpenSeats : BIT.openFull;
  if (school.quotaSeats > 0) {
    let quota = 0;
    if (inst.quotaEligible[s] !== 1) quota |= BIT.notQuotaEligible;
    if (!school.quota.has(inst.studentJunior[s])) quota |= BIT.noQuotaForJunior;
    if (!inScope) quota |= BIT.outOfRegion;
    if (school.quotaMinScore !== null && total < school.quotaMinScore) quota |= BIT.belowQuotaMinScore;
    if (grade < school.quotaMinEvaluation) quota |= BIT.belowQuotaMinEvaluation;
    mask |= quota === 0 ? BIT.quotaFull : quota;
    if (openEligible && inst.revert) mask |= BIT.revertedFull;
  }
  return mask;
}

/**
 * Why school h's choice rejects student s, seat category by category: the
 * eligibility rules s fails, or that the category is full of higher-priority
 * holders (whose lowest is the school's cutoff for it). Order: open, quota, reverted.
 */
export function rejectionReasons(inst: CompiledInstance, h: number, s: number): RejectionReason[] {
  const mask = rejectionMask(inst, h, s);
  return REASONS.filter((r) => mask & BIT[r]);
}
