/**
 * Pure: builds the engine's instance (ALLOCATION.md §2) from database rows.
 * The main round (and its simulations) use every approved plan with its quota
 * seats and every submitted main application; the supplementary round (补录)
 * uses the seats left as capacities, no quota seats, and the supplementary
 * applications. Choices that name an unknown school, a school of another
 * batch or the same school twice are dropped (and counted), so one bad row
 * cannot stop the city's round; what the engine ran is stored with the round.
 */
import type { CyclePolicy } from '../cycle-policy';
import {
  ALLOCATION_INSTANCE_FORMAT,
  type AllocationInstance,
  type AllocationPolicy,
  type Grade,
  type HighSchoolInput,
  type StudentInput,
} from '../allocation/types';

export interface PlanRow {
  highSchoolId: string;
  regionCode: string;
  ownership: string;
  scope: 'city' | 'region';
  batch: number;
  capacity: number;
  minScore: number | null;
  minEvaluation: Grade | null;
  quotaMinScore: number | null;
  quotaMinEvaluation: Grade | null;
}

export interface QuotaRow {
  highSchoolId: string;
  juniorSchoolId: string;
  seats: number;
}

export interface StudentRow {
  /** Student row id (not part of the instance). */
  studentId?: string;
  examNo: string;
  juniorSchoolId: string;
  regionCode: string;
  total: number;
  scores: unknown;
  evaluation: Grade;
  quotaEligible: boolean;
  /** The counted choices: batch -> school ids. */
  choices: unknown;
}

export interface BuildInstanceProps {
  seed: string;
  policy: AllocationPolicy;
  plans: readonly PlanRow[];
  /** Quota seats; ignored when `capacityOverride` is given (补录 has no quota seats). */
  quotas: readonly QuotaRow[];
  students: readonly StudentRow[];
  /** 补录: school id -> seats left, replacing the plan's capacity. */
  capacityOverride?: Record<string, number>;
}

export interface BuiltInstance {
  instance: AllocationInstance;
  /** Choices dropped because they named an unknown school, a school of another batch, or a repeat. */
  droppedChoices: number;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The keys of the last scores object and their sorted order: students' scores share one set of subjects, so one sort serves them all. */
let lastScoreKeys: string[] = [];
let lastSortedScoreKeys: string[] = [];

/** A student's scores as the instance holds them: finite numbers only, keys sorted. */
export function scoresOf(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof value !== 'object' || value === null) return out;
  const keys = Object.keys(value);
  if (!sameKeys(keys, lastScoreKeys)) {
    lastScoreKeys = keys;
    lastSortedScoreKeys = [...keys].sort();
  }
  for (const key of lastSortedScoreKeys) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  }
  return out;
}

/** Whether two key lists are the same, in the same order. */
export function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function buildInstance(props: BuildInstanceProps): BuiltInstance {
  const builder = createInstanceBuilder(props);
  for (const s of props.students) builder.add(s);
  const { instance, droppedChoices } = builder.finish();
  return { instance, droppedChoices };
}

/** An instance built one student row at a time (rows as they stream from the database), ending as buildInstance's. */
export interface InstanceBuilder {
  add(row: StudentRow): void;
  /** The instance (students by exam number, as buildInstance) and each student's row id, in the same order. */
  finish(): BuiltInstance & { studentIds: (string | undefined)[] };
}

/** Builds the engine's instance as buildInstance does, converting each student row as it is added (one copy of the students, not two). */
export function createInstanceBuilder(props: Omit<BuildInstanceProps, 'students'>): InstanceBuilder {
  const supplementary = props.capacityOverride !== undefined;
  const quota = new Map<string, Record<string, number>>();
  if (!supplementary) {
    for (const q of [...props.quotas].sort((a, b) => byId(a.juniorSchoolId, b.juniorSchoolId))) {
      if (q.seats <= 0) continue;
      const seats = quota.get(q.highSchoolId) ?? {};
      seats[q.juniorSchoolId] = q.seats;
      quota.set(q.highSchoolId, seats);
    }
  }

  const batchOf = new Map<string, number>();
  const highSchools: HighSchoolInput[] = [...props.plans]
    .sort((a, b) => byId(a.highSchoolId, b.highSchoolId))
    .map((p) => {
      batchOf.set(p.highSchoolId, p.batch);
      const school: HighSchoolInput = {
        id: p.highSchoolId,
        region: p.regionCode,
        ownership: p.ownership,
        batch: p.batch,
        scope: p.scope,
        capacity: supplementary ? (props.capacityOverride![p.highSchoolId] ?? 0) : p.capacity,
      };
      if (p.minScore !== null) school.minScore = p.minScore;
      if (p.minEvaluation !== null) school.minEvaluation = p.minEvaluation;
      const seats = quota.get(p.highSchoolId);
      if (seats && Object.keys(seats).length > 0) {
        // The engine requires quota <= capacity; trim (largest junior ids last) if a plan shrank after distribution.
        let room = school.capacity;
        const kept: Record<string, number> = {};
        for (const [junior, n] of Object.entries(seats)) {
          const take = Math.min(n, room);
          if (take > 0) kept[junior] = take;
          room -= take;
        }
        school.quota = kept;
        if (p.quotaMinScore !== null) school.quotaMinScore = p.quotaMinScore;
        if (p.quotaMinEvaluation !== null) school.quotaMinEvaluation = p.quotaMinEvaluation;
      }
      return school;
    });

  let droppedChoices = 0;
  const students: StudentInput[] = [];
  const rowIds: (string | undefined)[] = [];
  return {
    add(s) {
      const choices: Record<string, string[]> = {};
      const raw = typeof s.choices === 'object' && s.choices !== null ? (s.choices as Record<string, unknown>) : {};
      // Batch keys are index-like: JavaScript enumerates them in ascending order already.
      for (const key of Object.keys(raw)) {
        const list = raw[key];
        if (!/^[1-9][0-9]*$/.test(key) || !Array.isArray(list)) {
          droppedChoices += Array.isArray(list) ? list.length : 0;
          continue;
        }
        const batch = Number(key);
        const kept: string[] = [];
        for (const school of list) {
          // A list holds a few schools: includes() is the cheapest repeat check.
          if (typeof school !== 'string' || batchOf.get(school) !== batch || kept.includes(school)) {
            droppedChoices++;
            continue;
          }
          kept.push(school);
        }
        choices[key] = kept;
      }
      // Members in canonical order (keys sorted): the input's text is then JSON.stringify's (canonicalJson's fast path).
      students.push({
        choices,
        evaluation: s.evaluation,
        id: s.examNo,
        junior: s.juniorSchoolId,
        quotaEligible: s.quotaEligible,
        region: s.regionCode,
        scores: scoresOf(s.scores),
        total: s.total,
      });
      rowIds.push(s.studentId);
    },
    finish() {
      // By exam number; a stable sort of the positions keeps each row id beside its student.
      const order = students.map((_, i) => i).sort((a, b) => byId(students[a].id, students[b].id) || a - b);
      const sorted = order.map((i) => students[i]);
      const studentIds = order.map((i) => rowIds[i]);
      return {
        instance: { format: ALLOCATION_INSTANCE_FORMAT, seed: props.seed, policy: props.policy, highSchools, students: sorted },
        droppedChoices,
        studentIds,
      };
    },
  };
}

/** The allocation policy of a round: the cycle policy's `allocation` settings, overridden field by field by the request's. */
export function roundPolicy(cycle: CyclePolicy['allocation'], requested: AllocationPolicy | undefined): AllocationPolicy {
  return {
    quotaPrecedence: requested?.quotaPrecedence ?? cycle.quotaPrecedence ?? 'openFirst',
    unusedQuota: requested?.unusedQuota ?? cycle.unusedQuota ?? 'revert',
    tieBreak: [...(requested?.tieBreak ?? cycle.tieBreak ?? [])],
  };
}
