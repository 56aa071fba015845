/**
 * Students of the demo city, in two passes so that every record is built once,
 * whole: `drawScores` fills typed arrays (scores, grades, the histogram of
 * totals the high schools are sized from); `buildStudents` then makes each
 * student's record (name, ID card number, 学籍, choices) and account.
 */
import { listingRefusal, type ChoiceSchool } from '../domain/applications/choices';
import type { EligibilityStudent } from '../domain/applications/eligibility';
import { maxChoicesFor } from '../domain/cycle-policy';
import { GIVEN_FEMALE, GIVEN_MALE, SURNAMES } from './catalogue';
import { IdCardNumbers } from './id-cards';
import type { Rng } from './rng';
import { type HighBuild, type JuniorBuild, TOTAL_BINS, participation } from './schools';
import {
  type Account,
  type Evaluation,
  type JuniorHistoryEntry,
  type Scores,
  type Student,
  type StudentChoices,
  SUBJECTS,
  type SubjectKey,
} from './types';
import { daysBetween, digits, flatten, isoDate, pad } from './util';

/** Per subject: mean and spread as a share of full marks, and correlation with ability. */
const SUBJECT_MODEL: Readonly<Record<SubjectKey, { mean: number; sd: number; rho: number }>> = {
  chinese: { mean: 0.74, sd: 0.09, rho: 0.7 },
  math: { mean: 0.64, sd: 0.22, rho: 0.88 },
  english: { mean: 0.66, sd: 0.2, rho: 0.82 },
  physics: { mean: 0.63, sd: 0.2, rho: 0.84 },
  chemistry: { mean: 0.66, sd: 0.19, rho: 0.82 },
  politics: { mean: 0.74, sd: 0.12, rho: 0.65 },
  history: { mean: 0.71, sd: 0.14, rho: 0.65 },
  pe: { mean: 0.87, sd: 0.09, rho: 0.25 },
};

/** Standard normal quantiles splitting grades about 25/45/25/5 %. */
const GRADE_A = 0.6745;
const GRADE_B = -0.5244;
const GRADE_C = -1.6449;
const GRADES: readonly Evaluation[] = ['A', 'B', 'C', 'D'];

const TRANSFER_RATE = 0.005;

// ---------------------------------------------------------------------------
// Pass 1: scores
// ---------------------------------------------------------------------------

export interface ScoreDraw {
  /** Half points per student and subject: halfPoints[student * SUBJECTS.length + subject]. */
  halfPoints: Uint8Array;
  /** Total in half points per student. */
  totalHalf: Uint16Array;
  /** Index into A, B, C, D per student. */
  grade: Uint8Array;
  /** Students per (region, total in half points): histogram[region * TOTAL_BINS + halfPoints]. */
  histogram: Float64Array;
}

/**
 * Scores and grades of every student, junior school by junior school: an ability
 * (0.4 x school effect + individual, about standard normal) drives each subject
 * (correlation 0.65..0.88, PE 0.25) and the grade. Scores are whole or half
 * points, counted as integers so the total is exact.
 */
export function drawScores(rng: Rng, juniors: JuniorBuild): ScoreDraw {
  const studentCount = juniors.schools.reduce((a, j) => a + j.graduates, 0);
  const subjectCount = SUBJECTS.length;
  const halfPoints = new Uint8Array(studentCount * subjectCount);
  const totalHalf = new Uint16Array(studentCount);
  const grade = new Uint8Array(studentCount);
  const histogram = new Float64Array(juniors.regions.length * TOTAL_BINS);

  const step = SUBJECTS.map((s) => (s.halfPoints ? 2 : 1));
  const steps = SUBJECTS.map((s, i) => s.max * step[i]);
  const mean = SUBJECTS.map((s) => SUBJECT_MODEL[s.key].mean);
  const sd = SUBJECTS.map((s) => SUBJECT_MODEL[s.key].sd);
  const rho = SUBJECTS.map((s) => SUBJECT_MODEL[s.key].rho);
  const noise = rho.map((c) => Math.sqrt(1 - c * c));

  let i = 0;
  for (let j = 0; j < juniors.schools.length; j++) {
    const effect = juniors.effect[j];
    const regionBase = juniors.region[j] * TOTAL_BINS;
    for (let g = juniors.schools[j].graduates; g > 0; g--, i++) {
      const ability = 0.4 * effect + 0.9165 * rng.normal();
      let total = 0;
      for (let s = 0; s < subjectCount; s++) {
        const x = rho[s] * ability + noise[s] * rng.normal();
        let units = Math.round((mean[s] + sd[s] * x) * steps[s]);
        if (units < 0) units = 0;
        else if (units > steps[s]) units = steps[s];
        const half = step[s] === 2 ? units : units * 2;
        halfPoints[i * subjectCount + s] = half;
        total += half;
      }
      totalHalf[i] = total;
      histogram[regionBase + total]++;
      const e = 0.6 * ability + 0.8 * rng.normal();
      grade[i] = e > GRADE_A ? 0 : e > GRADE_B ? 1 : e > GRADE_C ? 2 : 3;
    }
  }
  return { halfPoints, totalHalf, grade, histogram };
}

// ---------------------------------------------------------------------------
// Choices (志愿)
// ---------------------------------------------------------------------------

interface Candidates {
  /** School indexes open to the region in one batch, highest estimated cutoff first. */
  school: Int32Array;
  cutoff: Float64Array;
  /** Preference from this region (own region 1). */
  preference: Float64Array;
  /** Lists already made, found by a number encoding the positions they name. */
  made: ListTable;
}

/**
 * Open-addressing hash table from a list's key to the list: flat typed arrays
 * are kinder to the cache than a Map of half a million entries.
 */
class ListTable {
  private keys = new Float64Array(1024).fill(-1);
  /** Index into `lists` of each key. */
  private slots = new Int32Array(1024);
  /** Filled by push (a large `new Array(n)` would be a slow dictionary in V8). */
  private readonly lists: (readonly string[])[] = [];

  get(key: number): readonly string[] | undefined {
    const mask = this.keys.length - 1;
    for (let i = hashKey(key) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === key) return this.lists[this.slots[i]];
      if (k === -1) return undefined;
    }
  }

  set(key: number, list: readonly string[]): void {
    if (2 * (this.lists.length + 1) > this.keys.length) this.grow();
    this.place(key, this.lists.length);
    this.lists.push(list);
  }

  private place(key: number, slot: number): void {
    const mask = this.keys.length - 1;
    let i = hashKey(key) & mask;
    while (this.keys[i] !== -1) i = (i + 1) & mask;
    this.keys[i] = key;
    this.slots[i] = slot;
  }

  private grow(): void {
    const { keys, slots } = this;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.slots = new Int32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) this.place(keys[i], slots[i]);
  }
}

function hashKey(key: number): number {
  return Math.imul((key >>> 0) ^ ((key / 4294967296) >>> 0), 0x9e3779b1) >>> 7;
}

const NO_CHOICES: readonly string[] = Object.freeze([]);
/**
 * Keys "1".."3" are array indexes to V8, kept in a separate elements store: an
 * object literal gets room for 17 of them (232 bytes), a copy of this parsed
 * template exactly 4 (110 bytes), and is made twice as fast.
 */
const CHOICES_TEMPLATE: StudentChoices = JSON.parse('{"1":null,"2":null,"3":null}');
/**
 * Schools are drawn from a window of WINDOW_BEFORE + WINDOW_AFTER (12) schools
 * around the student's level, widened to at most MAX_SPAN where some of them may
 * not be listed; so an offset in the window fits in 4 bits of a list's key.
 */
const WINDOW_BEFORE = 4;
const WINDOW_AFTER = 8;
const MAX_SPAN = 15;
/** Lists up to this long are shared through their key (16^8 x the window stays far below 2^53). */
const MAX_KEYED = 8;

/** What the choice maker needs to know about the city beyond the high schools. */
export interface ChoiceRules {
  /** 志愿数: the most schools per batch, as the save rule reads them from the cycle's policy. */
  limits: Readonly<Record<string, number>>;
  /** Quota seats (指标生名额), `quota[highSchoolId][juniorSchoolId]`, as stored for the cycle. */
  quota: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * Makes students' choices: per batch, a few schools around the student's level
 * (their total plus a misjudgement of ±12 or so), with reach schools likelier the
 * closer they are, own-region schools preferred. Every list passes the save rule
 * (../applications/choices.ts): no more than the policy's limit per batch, each
 * school of that batch, listed once, and open to the student (in scope, and the
 * minimum lines of an open or a quota seat met). Equal lists are shared, frozen.
 */
class ChoiceMaker {
  private readonly candidates: Candidates[][] = [];
  private readonly ids: string[];
  private readonly weight: Float64Array;
  private readonly picked: Int32Array;
  /** Whether the school at a position of the current list may be listed (set for the window only). */
  private readonly listable: Uint8Array;
  /** Start of the window of the last `pickAround`. */
  private window = 0;
  /** Each school as the save rule sees it. */
  private readonly ruleSchools: ChoiceSchool[];
  /** Quota seats per junior school index, for the schools that give any. */
  private readonly quotaSeats: (Int32Array | undefined)[];
  private readonly limit: readonly number[];
  /**
   * The lowest total (in half points; TOTAL_BINS: never) at which the save rule
   * lets a student list a school, by (school, region, quota seats at their junior
   * school or not, grade, quota-eligible or not); -1 until asked. Asking the rule
   * itself for every student and school costs seconds per 100,000 students; its
   * answer depends on the student only through these, and on the total only
   * through minimum lines, so a binary search over the totals finds it once.
   */
  private readonly lowestTotal: Int16Array;
  /** The number of regions, read once. */
  private readonly regionCount: number;
  /** The current student: region, junior school index, total in half points, grade index, quota eligibility. */
  private region = 0;
  private junior = 0;
  private totalHalf = 0;
  private grade = 0;
  private quotaEligible = 1;

  constructor(
    private readonly highs: HighBuild,
    private readonly juniors: JuniorBuild,
    rules: ChoiceRules,
  ) {
    const { schools, region, estimatedCutoffs: cutoffs } = highs;
    const regions = juniors.regions;
    this.regionCount = regions.length;
    let longest = 1;
    for (let r = 0; r < regions.length; r++) {
      const perBatch: Candidates[] = [];
      for (let b = 1; b <= 3; b++) {
        // Region-scope schools of other regions are left out: the save rule refuses them (属地招生).
        const open: number[] = [];
        schools.forEach((s, i) => {
          if (s.batch === b && participation(r, s.scope, region[i], regions) > 0) open.push(i);
        });
        open.sort((x, y) => cutoffs[y] - cutoffs[x] || x - y);
        longest = Math.max(longest, open.length);
        perBatch.push({
          school: Int32Array.from(open),
          cutoff: Float64Array.from(open, (i) => cutoffs[i]),
          // Students favour their own region; rural families rarely send children to the city.
          preference: Float64Array.from(open, (i) => (region[i] === r ? 1 : regions[r].rural ? 0.3 : 0.7)),
          made: new ListTable(),
        });
      }
      this.candidates.push(perBatch);
    }
    this.ids = new Array<string>(longest + 1).fill('');
    this.weight = new Float64Array(longest);
    this.picked = new Int32Array(longest);
    this.listable = new Uint8Array(longest);
    this.limit = [1, 2, 3].map((batch) => maxChoicesFor(rules.limits, batch));

    this.ruleSchools = schools.map((h) => ({
      id: h.id,
      batch: h.batch,
      region: h.regionCode,
      scope: h.scope,
      minScore: h.minScore ?? null,
      minEvaluation: h.minEvaluation ?? null,
      quotaSeatsForJunior: 0,
      quotaMinScore: h.quotaMinScore ?? null,
      quotaMinEvaluation: h.quotaMinEvaluation ?? null,
    }));
    this.lowestTotal = new Int16Array(schools.length * regions.length * 2 * GRADES.length * 2).fill(-1);
    const juniorIndex = new Map(juniors.schools.map((j, i) => [j.id, i]));
    this.quotaSeats = schools.map((h) => {
      const byJunior = rules.quota[h.id];
      if (!byJunior) return undefined;
      const seats = new Int32Array(juniors.schools.length);
      for (const [juniorId, n] of Object.entries(byJunior)) {
        const j = juniorIndex.get(juniorId);
        if (j !== undefined) seats[j] = n;
      }
      return seats;
    });
  }

  /**
   * The choices of a student of junior school index `j` with this total (in
   * half points), grade (index into GRADES) and quota eligibility.
   */
  choose(rng: Rng, j: number, totalHalf: number, grade: number, quotaEligible: boolean): StudentChoices {
    const r = this.juniors.region[j];
    this.region = r;
    this.junior = j;
    this.totalHalf = totalHalf;
    this.grade = grade;
    this.quotaEligible = quotaEligible ? 1 : 0;
    const total = totalHalf / 2;

    const level = total + 12 * rng.normal();
    const batches = this.candidates[r];
    const first = batches[0].cutoff;
    const weakest = first.length > 0 ? first[first.length - 1] : 0;
    const limit1 = this.limit[0];
    const limit2 = this.limit[1];
    const limit3 = this.limit[2];
    // About ten in all: most fill every slot; weak students list fewer batch-1 schools, some none at all.
    const wanted1 = level >= weakest - 30 ? limit1 - rng.int(2) : rng.next() < 0.1 ? 0 : limit1 - 2 + rng.int(2);
    const list1 = this.batchList(rng, batches[0], level, wanted1);
    const list2 = this.batchList(rng, batches[1], level, limit2 - (rng.next() < 0.1 ? 1 : 0));
    const list3 = this.batchList(rng, batches[2], level, limit3 - (rng.next() < 0.1 ? 1 : 0));
    const choices = { ...CHOICES_TEMPLATE };
    choices['1'] = list1;
    choices['2'] = list2;
    choices['3'] = list3;
    return choices;
  }

  /** Whether the current student may list the school at `position` of `list` (the save rule's answer); notes it in `listable`. */
  private mayList(list: Candidates, position: number): number {
    const i = list.school[position];
    const quotaSeats = this.quotaSeats[i]?.[this.junior] ?? 0;
    const key = (((i * this.regionCount + this.region) * 2 + (quotaSeats > 0 ? 1 : 0)) * GRADES.length + this.grade) * 2 + this.quotaEligible;
    let lowest = this.lowestTotal[key];
    if (lowest < 0) lowest = this.lowestTotal[key] = this.lowestListableTotal(i, quotaSeats);
    const ok = this.totalHalf >= lowest ? 1 : 0;
    this.listable[position] = ok;
    return ok;
  }

  /** Binary search, asking the save rule, for the lowest total at which the current student's kind may list school `i`. */
  private lowestListableTotal(i: number, quotaSeats: number): number {
    const school: ChoiceSchool = { ...this.ruleSchools[i], quotaSeatsForJunior: quotaSeats };
    const student: EligibilityStudent = {
      region: this.juniors.regions[this.region].code,
      junior: this.juniors.schools[this.junior].id,
      total: 0,
      evaluation: GRADES[this.grade],
      quotaEligible: this.quotaEligible === 1,
    };
    const listable = (half: number) => {
      student.total = half / 2;
      return listingRefusal(student, school).length === 0;
    };
    if (!listable(TOTAL_BINS - 1)) return TOTAL_BINS;
    let lo = 0;
    let hi = TOTAL_BINS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (listable(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private batchList(rng: Rng, list: Candidates, level: number, wanted: number): readonly string[] {
    const picked = this.picked;
    const count = this.pickAround(rng, list, level, wanted);
    if (count === 0) return NO_CHOICES;
    // Now and then two neighbours swap: personal taste beats last year's cutoff.
    if (count >= 2 && rng.next() < 0.1) {
      const k = rng.int(count - 1);
      const t = picked[k];
      picked[k] = picked[k + 1];
      picked[k + 1] = t;
    }
    const schools = this.highs.schools;
    const ids = this.ids;
    if (count > MAX_KEYED) return Object.freeze(Array.from(picked.subarray(0, count), (p) => schools[list.school[p]].id));
    // The list as a small integer (a fast Map key): its length, the window's start, each position's offset in the window.
    let key = count * (list.school.length + 1) + this.window;
    for (let k = 0; k < count; k++) key = key * 16 + picked[k] - this.window + 1;
    let made = list.made.get(key);
    if (!made) {
      for (let k = 0; k < count; k++) ids[k] = schools[list.school[picked[k]]].id;
      made = Object.freeze(ids.slice(0, count));
      list.made.set(key, made);
    }
    return made;
  }

  /**
   * Draw up to `wanted` distinct schools the student may list, near `level`, into
   * `picked` (as positions in the list, most selective first); returns how many.
   * Looks only at a window of a dozen schools around the level (up to MAX_SPAN
   * where some may not be listed), so the cost per student does not grow with
   * the number of schools.
   */
  private pickAround(rng: Rng, list: Candidates, level: number, wanted: number): number {
    const { weight, picked, listable } = this;
    const n = list.school.length;
    if (wanted <= 0 || n === 0) return 0;
    // First school whose cutoff is at or below the level (cutoffs descend).
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list.cutoff[mid] <= level) hi = mid;
      else lo = mid + 1;
    }
    let from = Math.max(0, lo - WINDOW_BEFORE);
    let to = Math.min(n, lo + WINDOW_AFTER);
    let open = 0;
    for (let p = from; p < to; p++) open += this.mayList(list, p);
    while (open < wanted + 3 && to - from < MAX_SPAN && (from > 0 || to < n)) {
      if (from > 0) open += this.mayList(list, --from);
      if (to < n && to - from < MAX_SPAN) open += this.mayList(list, to++);
    }
    const count = Math.min(wanted, open);
    if (count === 0) return 0;
    const span = to - from;
    let sum = 0;
    for (let i = 0; i < span; i++) {
      if (listable[from + i] === 0) {
        weight[i] = 0;
        continue;
      }
      // Reach schools (cutoff above the level) fade faster than safer ones.
      const gap = list.cutoff[from + i] - level;
      const near = gap > 0 ? 0.7 / (1 + (gap * gap) / 225) : 1 / (1 + (gap * gap) / 1600);
      weight[i] = near * list.preference[from + i] + 1e-6;
      sum += weight[i];
    }
    for (let k = 0; k < count; k++) {
      let x = rng.next() * sum;
      let chosen = -1;
      for (let i = 0; i < span; i++) {
        if (weight[i] <= 0) continue;
        chosen = i;
        x -= weight[i];
        if (x < 0) break;
      }
      sum -= weight[chosen];
      weight[chosen] = 0;
      // Insert keeping positions ascending (most selective first).
      let p = k;
      while (p > 0 && picked[p - 1] > from + chosen) {
        picked[p] = picked[p - 1];
        p--;
      }
      picked[p] = from + chosen;
    }
    this.window = from;
    return count;
  }
}

// ---------------------------------------------------------------------------
// Pass 2: records
// ---------------------------------------------------------------------------

export interface StudentContext {
  year: number;
  juniors: JuniorBuild;
  highs: HighBuild;
  scores: ScoreDraw;
  /** Transfers after this date lose quota eligibility. */
  quotaCutoff: string;
  /** What the save rule checks the choices against. */
  rules: ChoiceRules;
}

/**
 * Every student's record, in junior-school order (exam numbers follow it), and
 * their accounts appended to `accounts` (unless null). `identity` draws names, birth dates,
 * ID numbers and transfers; `choosing` draws the choices.
 */
export function buildStudents(identity: Rng, choosing: Rng, ctx: StudentContext, accounts: Account[] | null): Student[] {
  const { year, juniors, scores, quotaCutoff } = ctx;
  const studentCount = scores.totalHalf.length;
  const regions = juniors.regions;
  const regionCount = regions.length;
  // Filled by push: `new Array(n)` for large n makes a slow dictionary-mode array in V8.
  const students: Student[] = [];
  const chooser = new ChoiceMaker(ctx.highs, juniors, ctx.rules);

  // 准考证号: year + city code + a sequence of fixed width.
  const examPrefix = `${year}430201`;
  const examWidth = Math.max(5, digits(studentCount));

  // Birth dates over three school years; most born Sept (year-16) .. Aug (year-15).
  const birthStart = `${year - 17}-09-01`;
  const birthDays = daysBetween(birthStart, `${year - 14}-09-01`);
  const birthIso: string[] = new Array(birthDays);
  const birthCompact: string[] = new Array(birthDays);
  for (let d = 0; d < birthDays; d++) {
    const iso = isoDate(year - 17, 9, 1, d);
    birthIso[d] = iso;
    birthCompact[d] = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  }
  const mainYearStart = daysBetween(birthStart, `${year - 16}-09-01`);
  const mainYearEnd = daysBetween(birthStart, `${year - 15}-09-01`);
  // Unique within the city, as the database requires of a cycle's students.
  const idCards = new IdCardNumbers(regions.map((r) => r.adminCode), birthCompact);

  const surnameTable: string[] = [];
  for (const [surname, weight] of SURNAMES) for (let i = 0; i < weight; i++) surnameTable.push(surname);

  // Transfers (学籍变动) happen from October of grade 7 to April of grade 9.
  const gradeSevenStart = `${year - 3}-09-01`;
  const transferDays = daysBetween(`${year - 3}-10-01`, `${year}-05-01`);
  const ruralJuniors: number[] = [];
  const juniorsByRegion: number[][] = regions.map(() => []);
  juniors.schools.forEach((j, i) => {
    if (j.rural) ruralJuniors.push(i);
    juniorsByRegion[juniors.region[i]].push(i);
  });

  const subjectCount = SUBJECTS.length;
  const half = scores.halfPoints;
  let i = 0;
  for (let j = 0; j < juniors.schools.length; j++) {
    const junior = juniors.schools[j];
    const region = juniors.region[j];
    const regionCode = regions[region].code;
    for (let g = junior.graduates; g > 0; g--, i++) {
      const examNo = flatten(examPrefix + pad(i + 1, examWidth));
      const male = identity.next() < 0.52;

      // Name: a surname and one or two given-name characters.
      const pool = male ? GIVEN_MALE : GIVEN_FEMALE;
      let name = surnameTable[identity.int(surnameTable.length)] + pool[identity.int(pool.length)];
      if (identity.next() < 0.8) name += pool[identity.int(pool.length)];

      // ID card number: region code, birth date, sequence (odd for male), GB 11643 check character.
      const idRegion = identity.next() < 0.95 ? region : identity.int(regionCount);
      const u = identity.next();
      const drawnDay =
        u < 0.1 ? identity.int(mainYearStart)
        : u < 0.97 ? mainYearStart + identity.int(mainYearEnd - mainYearStart)
        : mainYearEnd + identity.int(birthDays - mainYearEnd);
      const issued = idCards.issue(idRegion, drawnDay, male);
      const day = issued.day;
      const idCardNo = flatten(issued.idCardNo);

      const base = i * subjectCount;
      const studentScores: Scores = {
        chinese: half[base] / 2,
        math: half[base + 1] / 2,
        english: half[base + 2] / 2,
        physics: half[base + 3] / 2,
        chemistry: half[base + 4] / 2,
        politics: half[base + 5] / 2,
        history: half[base + 6] / 2,
        pe: half[base + 7] / 2,
      };
      const total = scores.totalHalf[i] / 2;
      const evaluation = GRADES[scores.grade[i]];

      // 学籍: a few transferred; a late move loses quota eligibility, which the choices depend on.
      let enrolledSince = gradeSevenStart;
      let quotaEligible = true;
      let history: JuniorHistoryEntry[] | undefined;
      if (identity.next() < TRANSFER_RATE) {
        const moved = isoDate(year - 3, 10, 1, identity.int(transferDays));
        const late = moved > quotaCutoff;
        // Late moves mostly come from rural schools (chasing quota seats); others stay in the region.
        let previous = -1;
        for (let attempt = 0; attempt < 8 && (previous < 0 || previous === j); attempt++) {
          const from = late && ruralJuniors.length > 0 && identity.next() < 0.7 ? ruralJuniors : juniorsByRegion[region];
          previous = from[identity.int(from.length)];
        }
        if (previous >= 0 && previous !== j) {
          enrolledSince = moved;
          quotaEligible = !late;
          history = [
            { juniorSchoolId: juniors.schools[previous].id, from: gradeSevenStart, to: moved },
            { juniorSchoolId: junior.id, from: moved, to: null },
          ];
        }
      }

      const student: Student = {
        examNo,
        name,
        idCardNo,
        gender: male ? 'male' : 'female',
        birthDate: birthIso[day],
        juniorSchoolId: junior.id,
        regionCode,
        scores: studentScores,
        total,
        evaluation,
        enrolledSince,
        quotaEligible,
        choices: chooser.choose(choosing, j, scores.totalHalf[i], scores.grade[i], quotaEligible),
      };
      if (history) student.history = history;
      students.push(student);
      accounts?.push({ username: examNo, role: 'student', displayName: name, studentId: examNo, juniorSchoolId: junior.id, regionCode });
    }
  }
  return students;
}
