/**
 * Validation of an allocation instance (ALLOCATION.md §2) and its compilation
 * into the index-based form the engine, the reference implementation and the
 * explanations share. Hand-written rather than zod: it runs over a million
 * students, and each error must name the record and the rule it breaks.
 */
import {
  ALLOCATION_INSTANCE_FORMAT,
  InstanceError,
  type QuotaPrecedence,
} from './types';

/** Grades are numbers in the engine, higher is better (A = 4 … D = 1; 0 means "no minimum"): GRADE_LETTER[n] turns one back. */
export const GRADE_LETTER = ['', 'D', 'C', 'B', 'A'] as const;

export interface CompiledSchool {
  id: string;
  region: string;
  batch: number;
  /** Index into `batches`. */
  batchIndex: number;
  cityScope: boolean;
  capacity: number;
  /** Open seats: capacity minus all quota seats. */
  openSeats: number;
  /** Sum of quota seats (指标生名额). */
  quotaSeats: number;
  /** junior index -> quota seats (only entries > 0). */
  quota: Map<number, number>;
  minScore: number | null;
  minEvaluation: number;
  /** quotaMinScore ?? minScore */
  quotaMinScore: number | null;
  /** quotaMinEvaluation ?? minEvaluation */
  quotaMinEvaluation: number;
}

export interface CompiledInstance {
  seed: string;
  quotaPrecedence: QuotaPrecedence;
  revert: boolean;
  tieBreak: string[];
  schools: CompiledSchool[];
  /** Sorted distinct batch numbers of the schools. */
  batches: number[];
  juniorIds: string[];
  regionIds: string[];
  studentIds: string[];
  studentJunior: Int32Array;
  studentRegion: Int32Array;
  schoolRegion: Int32Array;
  total: Float64Array;
  evaluation: Uint8Array;
  quotaEligible: Uint8Array;
  /**
   * Choices of student s are choiceSchool[choiceOffset[s] .. choiceOffset[s+1]),
   * grouped by batch in increasing order, each group in order of preference.
   */
  choiceOffset: Int32Array;
  choiceSchool: Int32Array;
  /** The raw tie-break inputs: scores per student (may be undefined). */
  scores: (Record<string, number | null> | null | undefined)[];
  /**
   * The scores of each subject named in policy.tieBreak, per student, read
   * while validating (the score objects are then in cache): -Infinity where
   * missing or null. Optional: priority.ts reads `scores` when absent.
   */
  subjectScores?: Map<string, Float64Array>;
}

/** Placeholder for the current student's location in error paths, replaced when thrown. */
const STUDENT = '\u0000student';
const POLICY_PRECEDENCE = new Set(['openFirst', 'quotaFirst']);
const POLICY_UNUSED = new Set(['revert', 'keep']);
const PLAIN_POSITIVE_INT = /^[1-9][0-9]*$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function describe(kind: string, index: number, record: unknown): string {
  const id = isObject(record) && typeof record.id === 'string' ? ` (id ${JSON.stringify(record.id)})` : '';
  return `${kind}[${index}]${id}`;
}

function requireString(rec: Record<string, unknown>, field: string, where: string): string {
  const v = rec[field];
  if (!present(v)) throw new InstanceError(`${where}.${field}`, 'is required');
  if (typeof v !== 'string') throw new InstanceError(`${where}.${field}`, 'must be a string');
  return v;
}

function requireNonNegativeInt(rec: Record<string, unknown>, field: string, where: string): number {
  const v = rec[field];
  if (!present(v)) throw new InstanceError(`${where}.${field}`, 'is required');
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new InstanceError(`${where}.${field}`, `must be an integer >= 0, got ${JSON.stringify(v)}`);
  }
  return v;
}

function optionalNumber(rec: Record<string, unknown>, field: string, where: string): number | null {
  const v = rec[field];
  if (!present(v)) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InstanceError(`${where}.${field}`, `must be a finite number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function grade(v: unknown, where: string, field: string): number {
  switch (v) {
    case 'A':
      return 4;
    case 'B':
      return 3;
    case 'C':
      return 2;
    case 'D':
      return 1;
    default:
      throw new InstanceError(`${where}.${field}`, `unknown evaluation grade ${JSON.stringify(v)} (expected A, B, C or D)`);
  }
}

function optionalGrade(rec: Record<string, unknown>, field: string, where: string): number {
  const v = rec[field];
  return present(v) ? grade(v, where, field) : 0;
}

/** Numbers ids in `ids` (the ids it holds keep theirs): an id's number, appending it first if new. */
export function interner(ids: string[]): (id: string) => number {
  const index = new Map(ids.map((id, i) => [id, i]));
  return (id) => {
    let i = index.get(id);
    if (i === undefined) {
      i = ids.length;
      ids.push(id);
      index.set(id, i);
    }
    return i;
  };
}

/** Validates an allocation instance and compiles it; throws InstanceError naming the first bad record. */
export function compileInstance(input: unknown): CompiledInstance {
  if (!isObject(input)) throw new InstanceError('instance', 'must be a JSON object');
  if (input.format !== ALLOCATION_INSTANCE_FORMAT) {
    throw new InstanceError('format', `must be "${ALLOCATION_INSTANCE_FORMAT}", got ${JSON.stringify(input.format)}`);
  }
  const seed = requireString(input, 'seed', 'instance');
  const { quotaPrecedence, revert, tieBreak } = compilePolicy(input.policy);

  if (!Array.isArray(input.highSchools)) throw new InstanceError('highSchools', 'is required and must be an array');
  if (!Array.isArray(input.students)) throw new InstanceError('students', 'is required and must be an array');
  const rawSchools = input.highSchools as unknown[];
  const rawStudents = input.students as unknown[];

  const juniorIds: string[] = [];
  const internJunior = interner(juniorIds);
  const regionIds: string[] = [];
  const internRegion = interner(regionIds);

  const schoolIndex = new Map<string, number>();
  const schools: CompiledSchool[] = [];
  const schoolRegion = new Int32Array(rawSchools.length);
  rawSchools.forEach((raw, i) => {
    const where = describe('highSchools', i, raw);
    if (!isObject(raw)) throw new InstanceError(where, 'must be an object');
    const id = requireString(raw, 'id', where);
    if (schoolIndex.has(id)) throw new InstanceError(where, `duplicate high school id ${JSON.stringify(id)}`);
    const region = requireString(raw, 'region', where);
    if (!present(raw.batch)) throw new InstanceError(`${where}.batch`, 'is required');
    if (typeof raw.batch !== 'number' || !Number.isInteger(raw.batch) || raw.batch < 1) {
      throw new InstanceError(`${where}.batch`, `must be a positive integer, got ${JSON.stringify(raw.batch)}`);
    }
    const scope = requireString(raw, 'scope', where);
    if (scope !== 'city' && scope !== 'region') {
      throw new InstanceError(`${where}.scope`, `must be "city" or "region", got ${JSON.stringify(scope)}`);
    }
    if (present(raw.ownership) && typeof raw.ownership !== 'string') {
      throw new InstanceError(`${where}.ownership`, 'must be a string');
    }
    const capacity = requireNonNegativeInt(raw, 'capacity', where);
    const quota = new Map<number, number>();
    let quotaSeats = 0;
    if (present(raw.quota)) {
      if (!isObject(raw.quota)) throw new InstanceError(`${where}.quota`, 'must be an object of junior school id -> seats');
      for (const [junior, seats] of Object.entries(raw.quota)) {
        if (typeof seats !== 'number' || !Number.isInteger(seats) || seats < 0) {
          throw new InstanceError(`${where}.quota[${JSON.stringify(junior)}]`, `must be an integer >= 0, got ${JSON.stringify(seats)}`);
        }
        quotaSeats += seats;
        if (seats > 0) quota.set(internJunior(junior), seats);
      }
    }
    if (quotaSeats > capacity) {
      throw new InstanceError(`${where}.quota`, `quota seats (${quotaSeats}) exceed capacity (${capacity})`);
    }
    const minScore = optionalNumber(raw, 'minScore', where);
    const minEvaluation = optionalGrade(raw, 'minEvaluation', where);
    const qMinScore = optionalNumber(raw, 'quotaMinScore', where);
    const qMinEvaluation = optionalGrade(raw, 'quotaMinEvaluation', where);
    schoolIndex.set(id, i);
    schoolRegion[i] = internRegion(region);
    schools.push({
      id,
      region,
      batch: raw.batch,
      batchIndex: -1,
      cityScope: scope === 'city',
      capacity,
      openSeats: capacity - quotaSeats,
      quotaSeats,
      quota,
      minScore,
      minEvaluation,
      quotaMinScore: qMinScore ?? minScore,
      quotaMinEvaluation: qMinEvaluation || minEvaluation,
    });
  });

  const batches = [...new Set(schools.map((s) => s.batch))].sort((a, b) => a - b);
  for (const s of schools) s.batchIndex = batches.indexOf(s.batch);

  const n = rawStudents.length;
  const studentIds: string[] = new Array(n);
  const studentJunior = new Int32Array(n);
  const studentRegion = new Int32Array(n);
  const total = new Float64Array(n);
  const evaluation = new Uint8Array(n);
  const quotaEligible = new Uint8Array(n);
  const choiceOffset = new Int32Array(n + 1);
  const scores: CompiledInstance['scores'] = new Array(n);
  const subjectScores = new Map<string, Float64Array>();
  for (const key of tieBreak) {
    if (key === 'evaluation') continue;
    for (const part of key.split('+')) if (!subjectScores.has(part)) subjectScores.set(part, new Float64Array(n).fill(-Infinity));
  }
  const collectSubjects = subjectScores.size > 0;
  let choiceBuffer = new Int32Array(Math.max(16, n * 10));
  let choiceCount = 0;
  const seenIds = new Set<string>();
  // Marks the schools already listed by the current student; a stamp per student avoids clearing.
  const listedBy = new Int32Array(schools.length).fill(-1);

  for (let s = 0; s < n; s++) {
    const raw = rawStudents[s];
    if (!isObject(raw)) throw new InstanceError(describe('students', s, raw), 'must be an object');
    // The location is built only when needed: a million template strings cost seconds.
    const where = STUDENT;
    try {
      const id = requireString(raw, 'id', where);
      if (seenIds.has(id)) throw new InstanceError(where, `duplicate student id ${JSON.stringify(id)}`);
      seenIds.add(id);
      studentIds[s] = id;
      studentJunior[s] = internJunior(requireString(raw, 'junior', where));
      studentRegion[s] = internRegion(requireString(raw, 'region', where));
      if (!present(raw.total)) throw new InstanceError(`${where}.total`, 'is required');
      if (typeof raw.total !== 'number' || !Number.isFinite(raw.total)) {
        throw new InstanceError(`${where}.total`, `must be a finite number, got ${JSON.stringify(raw.total)}`);
      }
      total[s] = raw.total;
      if (!present(raw.evaluation)) throw new InstanceError(`${where}.evaluation`, 'is required');
      evaluation[s] = grade(raw.evaluation, where, 'evaluation');
      if (!present(raw.quotaEligible)) throw new InstanceError(`${where}.quotaEligible`, 'is required');
      if (typeof raw.quotaEligible !== 'boolean') throw new InstanceError(`${where}.quotaEligible`, 'must be true or false');
      quotaEligible[s] = raw.quotaEligible ? 1 : 0;
      if (present(raw.scores)) {
        if (!isObject(raw.scores)) throw new InstanceError(`${where}.scores`, 'must be an object of subject -> score');
        const studentScores = raw.scores;
        for (const subject in studentScores) {
          const v = studentScores[subject];
          if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
            throw new InstanceError(`${where}.scores.${subject}`, `must be a finite number, got ${JSON.stringify(v)}`);
          }
          if (collectSubjects && v !== null) {
            const col = subjectScores.get(subject);
            if (col) col[s] = v as number;
          }
        }
        scores[s] = raw.scores as Record<string, number | null>;
      }

      if (!present(raw.choices)) throw new InstanceError(`${where}.choices`, 'is required');
      if (!isObject(raw.choices)) throw new InstanceError(`${where}.choices`, 'must be an object of batch -> school ids');
      // Integer-like keys come out of a JS object in ascending order already; sort only if not.
      const choices = raw.choices;
      const batchKeys = Object.keys(choices);
      let sorted = true;
      for (let i = 0; i < batchKeys.length; i++) {
        const key = batchKeys[i];
        if (!PLAIN_POSITIVE_INT.test(key)) {
          throw new InstanceError(`${where}.choices[${JSON.stringify(key)}]`, 'batch keys must be positive integers written plainly ("1", not "01")');
        }
        if (i > 0 && Number(key) < Number(batchKeys[i - 1])) sorted = false;
      }
      if (!sorted) batchKeys.sort((x, y) => Number(x) - Number(y));
      choiceOffset[s] = choiceCount;
      for (const key of batchKeys) {
        const batch = Number(key);
        const list = choices[key];
        if (!Array.isArray(list)) throw new InstanceError(`${where}.choices[${JSON.stringify(key)}]`, 'must be an array of school ids');
        for (let k = 0; k < list.length; k++) {
          const schoolId = list[k];
          if (typeof schoolId !== 'string') throw new InstanceError(`${where}.choices[${JSON.stringify(key)}][${k}]`, 'must be a school id string');
          const h = schoolIndex.get(schoolId);
          if (h === undefined) throw new InstanceError(`${where}.choices[${JSON.stringify(key)}][${k}]`, `unknown high school ${JSON.stringify(schoolId)}`);
          if (schools[h].batch !== batch) {
            throw new InstanceError(`${where}.choices[${JSON.stringify(key)}][${k}]`, `school ${JSON.stringify(schoolId)} is in batch ${schools[h].batch}, not batch ${batch}`);
          }
          if (listedBy[h] === s) throw new InstanceError(`${where}.choices[${JSON.stringify(key)}][${k}]`, `school ${JSON.stringify(schoolId)} is listed twice`);
          listedBy[h] = s;
          if (choiceCount === choiceBuffer.length) {
            const grown = new Int32Array(choiceBuffer.length * 2);
            grown.set(choiceBuffer);
            choiceBuffer = grown;
          }
          choiceBuffer[choiceCount++] = h;
        }
      }
    } catch (err) {
      if (err instanceof InstanceError && err.path.startsWith(STUDENT)) {
        throw new InstanceError(describe('students', s, raw) + err.path.slice(STUDENT.length), err.rule);
      }
      throw err;
    }
  }
  choiceOffset[n] = choiceCount;

  return {
    seed,
    quotaPrecedence,
    revert,
    tieBreak,
    schools,
    batches,
    juniorIds,
    regionIds,
    studentIds,
    studentJunior,
    studentRegion,
    schoolRegion,
    total,
    evaluation,
    quotaEligible,
    choiceOffset,
    choiceSchool: choiceBuffer.slice(0, choiceCount),
    scores,
    subjectScores,
  };
}

function compilePolicy(policy: unknown): { quotaPrecedence: QuotaPrecedence; revert: boolean; tieBreak: string[] } {
  if (!present(policy)) return { quotaPrecedence: 'openFirst', revert: true, tieBreak: [] };
  if (!isObject(policy)) throw new InstanceError('policy', 'must be an object');
  const precedence = present(policy.quotaPrecedence) ? policy.quotaPrecedence : 'openFirst';
  if (typeof precedence !== 'string' || !POLICY_PRECEDENCE.has(precedence)) {
    throw new InstanceError('policy.quotaPrecedence', `must be "openFirst" or "quotaFirst", got ${JSON.stringify(precedence)}`);
  }
  const unused = present(policy.unusedQuota) ? policy.unusedQuota : 'revert';
  if (typeof unused !== 'string' || !POLICY_UNUSED.has(unused)) {
    throw new InstanceError('policy.unusedQuota', `must be "revert" or "keep", got ${JSON.stringify(unused)}`);
  }
  const tieBreak = present(policy.tieBreak) ? policy.tieBreak : [];
  if (!Array.isArray(tieBreak)) throw new InstanceError('policy.tieBreak', 'must be an array of keys');
  tieBreak.forEach((key, i) => {
    if (typeof key !== 'string' || key.length === 0 || key.split('+').some((part) => part.length === 0)) {
      throw new InstanceError(`policy.tieBreak[${i}]`, `must be a non-empty key such as "math" or "chinese+math", got ${JSON.stringify(key)}`);
    }
  });
  return { quotaPrecedence: precedence as QuotaPrecedence, revert: unused === 'revert', tieBreak: tieBreak as string[] };
}
