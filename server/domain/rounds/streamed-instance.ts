/**
 * Pure: a round's instance built straight from the applicants' rows as they
 * stream from the database, in the two forms a round needs: the compiled form
 * the engine runs on (server/domain/allocation/compile.ts, typed arrays) and
 * the instance's canonical text (what the round stores and hashes, and the
 * bundle hands to the command line). It is buildInstance's instance (the same
 * rules: unknown, wrong-batch and repeated choices dropped) without its
 * million objects: each student is kept as typed-array entries and their
 * canonical text, a range of one of a few large strings. The compiled form equals
 * compileInstance(buildInstance(...).instance) and the text its canonicalJson,
 * errors included (a property test checks all three).
 */
import { compileInstance, interner, type CompiledInstance } from '../allocation/compile';
import { InstanceError } from '../allocation/types';
import { canonicalJson, compareCanonicalKeys, isIndexKey } from './canonical';
import { buildInstance, sameKeys, type BuildInstanceProps, type StudentRow } from './round-input';

export interface StreamedInstance {
  add(row: StudentRow): void;
  /** Sorts the students by exam number and compiles them; throws InstanceError as compileInstance would. */
  finish(): FinishedInstance;
}

export interface FinishedInstance {
  inst: CompiledInstance;
  /** Each student's row id, in the instance's order. */
  rowIds: (string | undefined)[];
  /** The instance's canonical text as UTF-8, in pieces of about `chunkBytes`; once (the students' texts go with it). */
  writeText(write: (piece: Uint8Array) => void, chunkBytes: number): void;
  /** The canonical text of the instance without its students (Round.input). */
  summary: string;
  droppedChoices: number;
}

const GRADES: Record<string, number> = { A: 4, B: 3, C: 2, D: 1 };
const BATCH_KEY = /^[1-9][0-9]*$/;

/** Grows a typed array to hold at least `size` entries. */
function grown<T extends Int32Array | Float64Array | Uint8Array>(array: T, size: number, make: (n: number) => T): T {
  if (size <= array.length) return array;
  const next = make(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

export function createStreamedInstance(props: Omit<BuildInstanceProps, 'students'>): StreamedInstance {
  // The schools' part (its rules, quota trimming and validation) is buildInstance's, compiled without students.
  const { instance: schoolsOnly } = buildInstance({ ...props, students: [] });
  const base = compileInstance(schoolsOnly);
  const schoolIndex = new Map(base.schools.map((school, h) => [school.id, h]));
  const tieSubjects = [...new Set(base.tieBreak.filter((key) => key !== 'evaluation').flatMap((key) => key.split('+')))];

  // Per row, in arrival order.
  let n = 0;
  const examNos: unknown[] = [];
  const rowIds: (string | undefined)[] = [];
  // Junior schools and regions numbered as they come (renumbered in finish as compileInstance numbers them).
  const juniorsSeen = new Map<unknown, number>();
  const regionsSeen = new Map<unknown, number>();
  let juniorOf = new Int32Array(1024);
  let regionOf = new Int32Array(1024);
  // Each student's canonical text, appended to the current piece as they come; a full piece (a flat string) is
  // kept whole and a student's text is a range of it: no object per student lives on.
  const pieces: string[] = [];
  let piece = '';
  let textPiece = new Int32Array(1024);
  let textStart = new Int32Array(1024);
  let textEnd = new Int32Array(1024);
  const quotedSchool = base.schools.map((school) => JSON.stringify(school.id));
  const quoted = new Map<string, string>();
  const quote = (text: string) => {
    let q = quoted.get(text);
    if (q === undefined) quoted.set(text, (q = JSON.stringify(text)));
    return q;
  };
  let total = new Float64Array(1024);
  let evaluation = new Uint8Array(1024);
  let quotaEligible = new Uint8Array(1024);
  let choiceStart = new Int32Array(1025);
  let choiceSchool = new Int32Array(8192);
  let choiceCount = 0;
  let subject = tieSubjects.map(() => new Float64Array(1024));
  /** A row's first broken rule (compileInstance's order of fields), by row. */
  const problems = new Map<number, { field: string; rule: string }>();
  let droppedChoices = 0;

  return {
    add(row) {
      const r = n++;
      if (r >= total.length) {
        total = grown(total, r + 1, (k) => new Float64Array(k));
        evaluation = grown(evaluation, r + 1, (k) => new Uint8Array(k));
        quotaEligible = grown(quotaEligible, r + 1, (k) => new Uint8Array(k));
        juniorOf = grown(juniorOf, r + 1, (k) => new Int32Array(k));
        regionOf = grown(regionOf, r + 1, (k) => new Int32Array(k));
        subject = subject.map((column) => grown(column, r + 1, (k) => new Float64Array(k)));
        textPiece = grown(textPiece, r + 1, (k) => new Int32Array(k));
        textStart = grown(textStart, r + 1, (k) => new Int32Array(k));
        textEnd = grown(textEnd, r + 1, (k) => new Int32Array(k));
      }
      if (r + 1 >= choiceStart.length) choiceStart = grown(choiceStart, r + 2, (k) => new Int32Array(k));
      examNos.push(row.examNo);
      rowIds.push(row.studentId);
      juniorOf[r] = numbered(juniorsSeen, row.juniorSchoolId);
      regionOf[r] = numbered(regionsSeen, row.regionCode);

      // Choices as buildInstance keeps them, batch keys in canonical order, and their canonical text.
      const raw = typeof row.choices === 'object' && row.choices !== null ? (row.choices as Record<string, unknown>) : {};
      let keys = Object.keys(raw);
      // JavaScript lists array-index keys first, ascending, then the others in the order read: that is the
      // canonical order unless a key is not an array index ("x", "01", past 2^32 - 2). Then they are sorted.
      for (const key of keys) {
        if (!isIndexKey(key)) {
          keys = [...keys].sort(compareCanonicalKeys);
          break;
        }
      }
      choiceStart[r] = choiceCount;
      let choicesText = '{';
      for (const key of keys) {
        const list = raw[key];
        if (!BATCH_KEY.test(key) || !Array.isArray(list)) {
          droppedChoices += Array.isArray(list) ? list.length : 0;
          continue;
        }
        const batch = Number(key);
        const first = choiceCount;
        choicesText += `${choicesText.length > 1 ? ',' : ''}${quote(key)}:[`;
        for (const school of list) {
          const h = typeof school === 'string' ? schoolIndex.get(school) : undefined;
          if (h === undefined || base.schools[h].batch !== batch || listedAgain(choiceSchool, first, choiceCount, h)) {
            droppedChoices++;
            continue;
          }
          choicesText += choiceCount > first ? `,${quotedSchool[h]}` : quotedSchool[h];
          if (choiceCount === choiceSchool.length) choiceSchool = grown(choiceSchool, choiceCount + 1, (k) => new Int32Array(k));
          choiceSchool[choiceCount++] = h;
        }
        choicesText += ']';
      }
      // Batches numbered past 2^31 - 1 hold no school: only their (empty) lists can be out of numeric order.
      choiceStart[r + 1] = choiceCount;

      const scoresText = readScores(row.scores, tieSubjects, subject, r);

      // The checks compileInstance makes of a student, in its order (the id's are made in finish, sorted).
      const problem = studentProblem(row);
      textPiece[r] = pieces.length;
      textStart[r] = textEnd[r] = piece.length;
      if (problem) {
        problems.set(r, problem); // the instance is refused: no text is written
        return;
      }
      total[r] = row.total;
      evaluation[r] = GRADES[row.evaluation];
      quotaEligible[r] = row.quotaEligible ? 1 : 0;
      // canonicalJson of buildInstance's student: members in key order, as the choices' and scores' own.
      piece += `{"choices":${choicesText}},"evaluation":"${row.evaluation}","id":${JSON.stringify(row.examNo)},"junior":${quote(row.juniorSchoolId)},"quotaEligible":${row.quotaEligible},"region":${quote(row.regionCode)},"scores":${scoresText},"total":${row.total}}`;
      textEnd[r] = piece.length;
      if (piece.length >= PIECE_CHARS) {
        piece.charCodeAt(0); // flattens the piece (one string, not thousands of joined parts)
        pieces.push(piece);
        piece = '';
      }
    },

    finish() {
      // By exam number, a stable sort (as buildInstance's), then compileInstance's checks in that order.
      const order = Int32Array.from({ length: n }, (_, r) => r);
      order.sort((a, b) => compareIds(examNos[a], examNos[b]) || a - b);
      for (let s = 0; s < n; s++) {
        const r = order[s];
        const id = examNos[r];
        const where = `students[${s}]${typeof id === 'string' ? ` (id ${JSON.stringify(id)})` : ''}`;
        if (id === undefined || id === null) throw new InstanceError(`${where}.id`, 'is required');
        if (typeof id !== 'string') throw new InstanceError(`${where}.id`, 'must be a string');
        if (s > 0 && examNos[order[s - 1]] === id) throw new InstanceError(where, `duplicate student id ${JSON.stringify(id)}`);
        const problem = problems.get(r);
        if (problem) throw new InstanceError(`${where}.${problem.field}`, problem.rule);
      }

      // Junior schools and regions numbered as compileInstance numbers them: the schools' first, then by student.
      const juniorIds = [...base.juniorIds];
      const regionIds = [...base.regionIds];
      const renumber = (seen: Map<unknown, number>, ids: string[]) => {
        const numbers = interner(ids);
        const to = new Int32Array(seen.size).fill(-1);
        const names = [...seen.keys()] as string[];
        return (i: number) => (to[i] >= 0 ? to[i] : (to[i] = numbers(names[i])));
      };
      const junior = renumber(juniorsSeen, juniorIds);
      const region = renumber(regionsSeen, regionIds);

      const studentIds: string[] = new Array(n);
      const sortedRowIds: (string | undefined)[] = new Array(n);
      const studentJunior = new Int32Array(n);
      const studentRegion = new Int32Array(n);
      const sortedTotal = new Float64Array(n);
      const sortedEvaluation = new Uint8Array(n);
      const sortedQuotaEligible = new Uint8Array(n);
      const choiceOffset = new Int32Array(n + 1);
      const sortedChoices = new Int32Array(choiceCount);
      const subjectScores = new Map(tieSubjects.map((name) => [name, new Float64Array(n)]));
      const columns = tieSubjects.map((name) => subjectScores.get(name)!);
      let at = 0;
      for (let s = 0; s < n; s++) {
        const r = order[s];
        studentIds[s] = examNos[r] as string;
        sortedRowIds[s] = rowIds[r];
        studentJunior[s] = junior(juniorOf[r]);
        studentRegion[s] = region(regionOf[r]);
        sortedTotal[s] = total[r];
        sortedEvaluation[s] = evaluation[r];
        sortedQuotaEligible[s] = quotaEligible[r];
        choiceOffset[s] = at;
        for (let k = choiceStart[r]; k < choiceStart[r + 1]; k++) sortedChoices[at++] = choiceSchool[k];
        for (let k = 0; k < columns.length; k++) columns[k][s] = subject[k][r];
      }
      choiceOffset[n] = at;

      const inst: CompiledInstance = {
        ...base,
        juniorIds,
        regionIds,
        studentIds,
        studentJunior,
        studentRegion,
        total: sortedTotal,
        evaluation: sortedEvaluation,
        quotaEligible: sortedQuotaEligible,
        choiceOffset,
        choiceSchool: sortedChoices,
        // The engine reads the tie-break subjects' columns; no student's whole scores are kept.
        scores: new Array(n),
        subjectScores,
      };
      const summary = canonicalJson({ ...schoolsOnly, students: undefined });
      return {
        inst,
        rowIds: sortedRowIds,
        summary,
        droppedChoices,
        writeText(write, chunkBytes) {
          if (piece.length > 0) pieces.push(piece);
          piece = '';
          const encoder = new TextEncoder();
          let out = new Uint8Array(chunkBytes);
          let at = 0;
          // Each text straight into the piece's bytes (a slice of a flat string encodes without a copy first).
          const put = (text: string) => {
            for (;;) {
              const { read, written } = encoder.encodeInto(text, out.subarray(at));
              at += written;
              if (read === text.length) return;
              text = text.slice(read);
              write(out.subarray(0, at));
              out = new Uint8Array(Math.max(chunkBytes, text.length * 3));
              at = 0;
            }
          };
          const head = canonicalJson(schoolsOnly);
          // {"format":…,"highSchools":…,"policy":…,"seed":…,"students":[…]}: students is the last member.
          put(`${head.slice(0, head.lastIndexOf(',"students":[]'))},"students":[`);
          for (let s = 0; s < n; s++) {
            const r = order[s];
            if (s > 0) put(',');
            put(pieces[textPiece[r]].slice(textStart[r], textEnd[r]));
          }
          put(']}');
          write(out.subarray(0, at));
          pieces.length = 0; // written once: a province's students' texts are hundreds of MB
        },
      };
    },
  };
}

/** Characters of the students' texts kept as one string. */
const PIECE_CHARS = 1 << 20;

/** Whether school h is among choiceSchool[from, to) (a list holds a few schools: a scan is the cheapest). */
function listedAgain(choiceSchool: Int32Array, from: number, to: number, h: number): boolean {
  for (let k = from; k < to; k++) if (choiceSchool[k] === h) return true;
  return false;
}

/** The canonical order of a set of score keys and each one's `"key":` text, for the last set seen (students share one). */
let scoreKeys: string[] = [];
let scoreOrder: { key: string; label: string }[] = [];

/**
 * The canonical text of scoresOf(value) (round-input.ts: finite numbers only), and the tie-break
 * subjects' values of row r into their columns (-Infinity where missing).
 */
function readScores(value: unknown, subjects: readonly string[], columns: Float64Array[], r: number): string {
  for (let k = 0; k < subjects.length; k++) columns[k][r] = -Infinity;
  if (typeof value !== 'object' || value === null) return '{}';
  const scores = value as Record<string, unknown>;
  const keys = Object.keys(scores);
  if (!sameKeys(keys, scoreKeys)) {
    scoreKeys = keys;
    scoreOrder = [...keys].sort(compareCanonicalKeys).map((key) => ({ key, label: `${JSON.stringify(key)}:` }));
  }
  let text = '{';
  for (const { key, label } of scoreOrder) {
    const v = scores[key];
    if (typeof v === 'number' && Number.isFinite(v)) text += `${text.length > 1 ? ',' : ''}${label}${v}`;
  }
  for (let k = 0; k < subjects.length; k++) {
    const v = scores[subjects[k]];
    if (typeof v === 'number' && Number.isFinite(v)) columns[k][r] = v;
  }
  return `${text}}`;
}

/** The number of `value` among those seen, numbering it if new. */
function numbered(seen: Map<unknown, number>, value: unknown): number {
  let i = seen.get(value);
  if (i === undefined) {
    i = seen.size;
    seen.set(value, i);
  }
  return i;
}

/** The first rule of compileInstance a student row breaks (past its id, checked once sorted), or none. */
function studentProblem(row: StudentRow): { field: string; rule: string } | undefined {
  const value = row as unknown as Record<string, unknown>;
  for (const [field, member] of [['junior', 'juniorSchoolId'], ['region', 'regionCode']] as const) {
    if (value[member] === undefined || value[member] === null) return { field, rule: 'is required' };
    if (typeof value[member] !== 'string') return { field, rule: 'must be a string' };
  }
  if (row.total === undefined || row.total === null) return { field: 'total', rule: 'is required' };
  if (typeof row.total !== 'number' || !Number.isFinite(row.total)) return { field: 'total', rule: `must be a finite number, got ${JSON.stringify(row.total)}` };
  if (row.evaluation === undefined || row.evaluation === null) return { field: 'evaluation', rule: 'is required' };
  if (!Object.hasOwn(GRADES, row.evaluation)) {
    return { field: 'evaluation', rule: `unknown evaluation grade ${JSON.stringify(row.evaluation)} (expected A, B, C or D)` };
  }
  if (row.quotaEligible === undefined || row.quotaEligible === null) return { field: 'quotaEligible', rule: 'is required' };
  if (typeof row.quotaEligible !== 'boolean') return { field: 'quotaEligible', rule: 'must be true or false' };
  return undefined;
}

/** buildInstance's order of exam numbers (code units). */
function compareIds(a: unknown, b: unknown): number {
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}
