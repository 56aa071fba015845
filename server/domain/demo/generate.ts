/**
 * The demo city (演示数据): a Zhuzhou-like admissions year generated from a seed.
 *
 * Pure and deterministic: no I/O, no clock, no Math.random. The same options give
 * the same city, value for value, on any JavaScript engine (the PRNG uses only
 * 32-bit integer operations; dates are calendar arithmetic on fixed dates).
 * No real personal data: names are assembled from surname and given-name lists,
 * ID card numbers are made up (valid GB 11643 checksum, Zhuzhou region prefix).
 *
 * How the city is built, in order:
 * 1. students per region by population, junior schools per region by students
 *    (~200 per 45,000), graduates per junior school by a size weight;
 * 2. students school by school: an ability (junior school effect + individual)
 *    drives every subject score, the evaluation grade and, later, the choices;
 * 3. high schools per region (~40 per 45,000): quality (示范性) in batch 1, city
 *    scope in the four urban districts and region scope in the counties; ordinary
 *    public in batch 2; private (mostly region scope) in batch 2 or 3; seats about
 *    68% of the students; minimum lines from the score distribution;
 * 4. an estimated cutoff per school (schools fill from a per-region score
 *    histogram in order of prestige), which becomes last year's cutoff (with noise)
 *    and the level students aim at;
 * 5. choices (志愿): per batch, a few schools around the student's level, own
 *    region preferred, with reach schools and rare ineligible picks;
 * 6. accounts for every role.
 *
 * Cost is linear in the number of students; the student record is the only
 * per-student allocation besides its scores, choices and strings.
 */
import {
  CITY_JUNIOR_NUMBERS,
  GIVEN_FEMALE,
  GIVEN_MALE,
  JUNIOR_SECTIONS,
  ORDINARY_HIGH_NAMES,
  PRIVATE_WORDS,
  QUALITY_HIGH_NAMES,
  REGION_INFO,
  SURNAMES,
  chineseNumber,
  type RegionCode,
} from './catalogue';
import { Rng } from './rng';

export type { RegionCode } from './catalogue';

/** Password of every demo account (development only). */
export const DEMO_PASSWORD = 'Zhuzhou@2026';
export const DEMO_CITY_FORMAT = 'zz-admissions/demo-city@1';
export const QUOTA_INSTANCE_FORMAT = 'zz-admissions/quota-instance@1';
export const ALLOCATION_INSTANCE_FORMAT = 'zz-admissions/allocation-instance@1';

/** 综合素质评价 grade. */
export type Evaluation = 'A' | 'B' | 'C' | 'D';
export type Gender = 'male' | 'female';
export type Ownership = 'public' | 'private';
/** `region`: 属地招生, only students of the school's own region. */
export type Scope = 'city' | 'region';
export type Batch = 1 | 2 | 3;
export type Role = 'student' | 'junior' | 'high' | 'bureau' | 'auditor';
export type SubjectKey = 'chinese' | 'math' | 'english' | 'physics' | 'chemistry' | 'politics' | 'history' | 'pe';

export interface Subject {
  key: SubjectKey;
  name: string;
  nameEn: string;
  max: number;
  /** Whether half points (87.5) occur. */
  halfPoints: boolean;
}

/** The exam subjects (中考科目) and their full marks; the total's maximum is 820. */
export const SUBJECTS: readonly Subject[] = [
  { key: 'chinese', name: '语文', nameEn: 'Chinese', max: 120, halfPoints: true },
  { key: 'math', name: '数学', nameEn: 'Mathematics', max: 120, halfPoints: false },
  { key: 'english', name: '英语', nameEn: 'English', max: 120, halfPoints: true },
  { key: 'physics', name: '物理', nameEn: 'Physics', max: 100, halfPoints: false },
  { key: 'chemistry', name: '化学', nameEn: 'Chemistry', max: 100, halfPoints: false },
  { key: 'politics', name: '道德与法治', nameEn: 'Morality and Law', max: 100, halfPoints: true },
  { key: 'history', name: '历史', nameEn: 'History', max: 100, halfPoints: true },
  { key: 'pe', name: '体育', nameEn: 'Physical Education', max: 60, halfPoints: true },
];

export interface Region {
  code: RegionCode;
  /** 行政区划代码 */
  adminCode: string;
  name: string;
  nameEn: string;
  /** County or rural district; HT, LS, SF and TY are the urban districts. */
  rural: boolean;
}

export interface JuniorSchool {
  /** `J` + region number (01..09) + school number, all of one width in a city. */
  id: string;
  name: string;
  regionCode: RegionCode;
  rural: boolean;
  /** Students graduating this year; the sum over schools is the number of students. */
  graduates: number;
  /** Quota weight (向农村初中倾斜): 120 for rural schools, else 100. */
  weightPercent: number;
}

export interface HighSchool {
  /** `H` + number, all of one width in a city. */
  id: string;
  name: string;
  regionCode: RegionCode;
  ownership: Ownership;
  /** 示范性高中: batch 1, gives quota seats. */
  quality: boolean;
  batch: Batch;
  scope: Scope;
  capacity: number;
  /** ceil(capacity / 50), so capacity <= 55 x classes (班额). */
  classes: number;
  /** Share of the plan given as quota seats (指标生), quality schools only. */
  quotaPercent?: number;
  minPerSchool?: number;
  minScore?: number;
  minEvaluation?: Evaluation;
  quotaMinScore?: number;
  quotaMinEvaluation?: Evaluation;
  /** Last year's published cutoff (录取最低分); absent for new schools. */
  lastYearCutoff?: number;
}

export type Scores = Record<SubjectKey, number>;

/** One period of a student's 学籍 at a junior school; `to` is null for the current one. */
export interface JuniorHistoryEntry {
  juniorSchoolId: string;
  from: string;
  to: string | null;
}

/**
 * Ranked choices (志愿) per batch; keys are batch numbers. The lists are frozen
 * and shared between students who made the same list (a million students make
 * far fewer distinct lists), so copy a list before changing it.
 */
export type StudentChoices = Record<'1' | '2' | '3', readonly string[]>;

export interface Student {
  /** 准考证号: year + 430201 + sequence, all of one width in a city. */
  examNo: string;
  name: string;
  /** Fake 18-character ID card number (身份证号) with a valid checksum; the UI masks it. */
  idCardNo: string;
  gender: Gender;
  birthDate: string;
  juniorSchoolId: string;
  /** The current junior school's region. */
  regionCode: RegionCode;
  scores: Scores;
  /** Exact sum of the scores. */
  total: number;
  evaluation: Evaluation;
  /** Start of the 学籍 at the current junior school (start of grade 7 unless transferred). */
  enrolledSince: string;
  /** Present only for transferred students: every 学籍 period, oldest first, the current last. */
  history?: JuniorHistoryEntry[];
  /** False when the 学籍 moved after the city's cut-off date (quotaEligibilityCutoff). */
  quotaEligible: boolean;
  choices: StudentChoices;
}

export interface Account {
  username: string;
  role: Role;
  displayName: string;
  highSchoolId?: string;
  juniorSchoolId?: string;
  /** The student's examNo. */
  studentId?: string;
  regionCode?: RegionCode;
}

export interface DemoCity {
  format: typeof DEMO_CITY_FORMAT;
  seed: string;
  year: number;
  city: { name: string; nameEn: string; adminCode: string };
  /** A 学籍 transfer after this date makes the student not quota-eligible. */
  quotaEligibilityCutoff: string;
  /** 最低控制线: `quality` is the minimum of quality schools, `ordinary` of some others. */
  controlLines: { quality: number; ordinary: number };
  subjects: readonly Subject[];
  regions: Region[];
  juniorSchools: JuniorSchool[];
  highSchools: HighSchool[];
  students: Student[];
  accounts: Account[];
}

export interface GenerateCityOptions {
  seed: string;
  /** Number of students (default 45,000). */
  students?: number;
  /** Admissions year (default 2026). */
  year?: number;
}

// ---------------------------------------------------------------------------
// Tunable shape of the city
// ---------------------------------------------------------------------------

const JUNIORS_PER_45K = 200;
const HIGHS_PER_45K = 40;
/** Seats per student in each region's own high schools. */
const SEAT_RATE_URBAN = 0.72;
const SEAT_RATE_RURAL = 0.63;
/** Seats of the city-scope private schools, per student of the city. */
const SEAT_RATE_CITY_PRIVATE = 0.02;
const TRANSFER_RATE = 0.005;
const MAX_HALF_POINTS = 1640;
const BINS = MAX_HALF_POINTS + 1;

/** Per subject: mean and spread as a share of full marks, correlation with ability. */
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

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

// ---------------------------------------------------------------------------
// Small pure helpers
// ---------------------------------------------------------------------------

/** Largest-remainder split of `total` by `weights` (ties to the lower index). */
function splitByWeight(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const out = new Array<number>(weights.length);
  const rema = new Array<number>(weights.length);
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = (total * weights[i]) / sum;
    out[i] = Math.floor(exact);
    rema[i] = exact - out[i];
    given += out[i];
  }
  const order = weights.map((_, i) => i).sort((a, b) => rema[b] - rema[a] || a - b);
  for (let k = 0; k < total - given; k++) out[order[k % order.length]]++;
  return out;
}

function digits(n: number): number {
  return String(Math.max(1, n)).length;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** ISO date `days` after the given calendar day (UTC calendar arithmetic, no clock). */
function isoDate(year: number, month: number, day: number, days = 0): string {
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

function roundHalf(x: number): number {
  return Math.round(x * 2) / 2;
}

/**
 * V8 keeps a concatenation of 13 or more characters as a rope (ConsString);
 * reading one character flattens it, and the GC then drops the rope. An 18-digit
 * ID number takes 48 bytes instead of about 136, which matters at a million students.
 */
function flatten(text: string): string {
  text.charCodeAt(0);
  return text;
}

// ---------------------------------------------------------------------------
// Internal shapes
// ---------------------------------------------------------------------------

type Category = 'cityQuality' | 'regionQuality' | 'ordinary' | 'cityPrivate' | 'regionPrivate';

interface HighSpec {
  region: number;
  category: Category;
  /** Position within its category in its region (0 = the flagship). */
  rank: number;
  name: string;
  ownership: Ownership;
  scope: Scope;
  batch: Batch;
  capacity: number;
  quotaPercent?: number;
  isNew: boolean;
}

const CATEGORY_ORDER: Readonly<Record<Category, number>> = {
  cityQuality: 0,
  regionQuality: 1,
  ordinary: 2,
  cityPrivate: 3,
  regionPrivate: 4,
};

// ---------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------

/** Generate a whole demo city (regions, schools, students with scores and choices, accounts) from a seed. */
export function generateCity(options: GenerateCityOptions): DemoCity {
  const seed = options.seed;
  const studentCount = options.students ?? 45_000;
  const year = options.year ?? 2026;
  if (typeof seed !== 'string') throw new TypeError('generateCity: seed must be a string');
  if (!Number.isInteger(studentCount) || studentCount < 0) {
    throw new RangeError(`generateCity: students must be a non-negative integer, got ${studentCount}`);
  }
  if (!Number.isInteger(year) || year < 2000 || year > 9999) {
    throw new RangeError(`generateCity: year must be an integer from 2000 to 9999, got ${year}`);
  }
  const stream = (label: string) => new Rng(`zz-demo|${seed}|${studentCount}|${year}|${label}`);

  const regions: Region[] = REGION_INFO.map((r) => ({
    code: r.code,
    adminCode: r.adminCode,
    name: r.name,
    nameEn: r.nameEn,
    rural: r.rural,
  }));
  const regionStudents = splitByWeight(studentCount, REGION_INFO.map((r) => r.population));

  const juniors = buildJuniorSchools(stream('juniors'), studentCount, regionStudents);
  const quotaEligibilityCutoff = `${year - 1}-09-01`;
  const built = buildStudents(stream('students'), year, juniors, quotaEligibilityCutoff);
  const highs = buildHighSchools(stream('highs'), studentCount, regionStudents, built.histogram);
  assignChoices(stream('choices'), built.students, highs.schools, highs.estimatedCutoffs);
  const accounts = buildAccounts(juniors.schools, highs.schools, built.students);

  return {
    format: DEMO_CITY_FORMAT,
    seed,
    year,
    city: { name: '株洲市', nameEn: 'Zhuzhou', adminCode: '430200' },
    quotaEligibilityCutoff,
    controlLines: highs.controlLines,
    subjects: SUBJECTS,
    regions,
    juniorSchools: juniors.schools,
    highSchools: highs.schools,
    students: built.students,
    accounts,
  };
}

// ---------------------------------------------------------------------------
// 1. Junior schools
// ---------------------------------------------------------------------------

interface JuniorBuild {
  schools: JuniorSchool[];
  /** Region index of each school. */
  region: Int32Array;
  /** Ability shift of each school's students (school effect). */
  effect: Float64Array;
}

function buildJuniorSchools(rng: Rng, studentCount: number, regionStudents: number[]): JuniorBuild {
  const total = Math.max(2 * REGION_INFO.length, Math.round((studentCount * JUNIORS_PER_45K) / 45_000));
  const perRegion = splitByWeight(total, regionStudents).map((n) => Math.max(1, n));
  const width = Math.max(2, digits(Math.max(...perRegion)));
  const schools: JuniorSchool[] = [];
  const regionOf: number[] = [];
  const effects: number[] = [];
  const usedNames = new Set<string>();
  let urbanIndex = 0;

  for (let r = 0; r < REGION_INFO.length; r++) {
    const info = REGION_INFO[r];
    const count = perRegion[r];
    // County towns (县城) hold the first ~30% of a rural region's schools.
    const townSchools = info.rural ? Math.ceil(count * 0.3) : count;
    const names = info.rural
      ? ruralJuniorNames(rng, info.name, info.places, townSchools, count)
      : urbanJuniorNames(rng, info.code, info.name, info.places, urbanIndex++, count);
    const weights: number[] = [];
    for (let k = 0; k < count; k++) {
      const rural = info.rural && k >= townSchools;
      weights.push(rural ? rng.range(0.35, 1.1) : info.rural ? rng.range(1.5, 3) : rng.range(0.8, 2.2));
      let name = names[k];
      for (let n = 2; usedNames.has(name); n++) name = `${names[k]}（${chineseNumber(n)}）`;
      usedNames.add(name);
      schools.push({
        id: `J${pad(r + 1, 2)}${pad(k + 1, width)}`,
        name,
        regionCode: info.code,
        rural,
        graduates: 0,
        weightPercent: rural ? 120 : 100,
      });
      regionOf.push(r);
      effects.push(rng.normal() + (rural ? -0.3 : info.rural ? 0.1 : 0.05));
    }
    const graduates = splitByWeight(regionStudents[r], weights);
    for (let k = 0; k < count; k++) schools[schools.length - count + k].graduates = graduates[k];
  }
  return { schools, region: Int32Array.from(regionOf), effect: Float64Array.from(effects) };
}

function urbanJuniorNames(rng: Rng, code: RegionCode, regionName: string, places: readonly string[], urbanIndex: number, count: number): string[] {
  const names: string[] = [];
  const section = JUNIOR_SECTIONS[code];
  if (section) names.push(section);
  for (let i = urbanIndex; i < CITY_JUNIOR_NUMBERS.length; i += 4) names.push(`株洲市第${chineseNumber(CITY_JUNIOR_NUMBERS[i])}中学`);
  names.push(`${regionName}实验学校`);
  const shuffled = rng.shuffled(places);
  for (const p of shuffled) names.push(`${regionName}${p}学校`);
  for (const p of shuffled) names.push(`${regionName}${p}中学`);
  for (let k = 1; names.length < count; k++) names.push(`${regionName}第${chineseNumber(k)}初级中学`);
  return names;
}

function ruralJuniorNames(rng: Rng, regionName: string, places: readonly string[], townSchools: number, count: number): string[] {
  const town = [`${regionName}实验学校`, `${regionName}城关中学`];
  let k = 1;
  while (town.length < townSchools) town.push(`${regionName}第${chineseNumber(k++)}初级中学`);
  const rural: string[] = [];
  const shuffled = rng.shuffled(places);
  for (const p of shuffled) rural.push(`${regionName}${p}镇中学`);
  for (const p of shuffled) rural.push(`${regionName}${p}镇第二中学`);
  while (rural.length < count - townSchools) rural.push(`${regionName}第${chineseNumber(k++)}初级中学`);
  return [...town.slice(0, townSchools), ...rural].slice(0, count);
}

// ---------------------------------------------------------------------------
// 2. Students
// ---------------------------------------------------------------------------

interface StudentBuild {
  students: Student[];
  /** Students per (region, total in half points): histogram[region * BINS + halfPoints]. */
  histogram: Float64Array;
}

const NO_CHOICES: readonly string[] = Object.freeze([]);
const EMPTY_CHOICES: StudentChoices = Object.freeze({ '1': NO_CHOICES, '2': NO_CHOICES, '3': NO_CHOICES });

function buildStudents(rng: Rng, year: number, juniors: JuniorBuild, quotaCutoff: string): StudentBuild {
  const studentCount = juniors.schools.reduce((a, j) => a + j.graduates, 0);
  const regionCount = REGION_INFO.length;
  const histogram = new Float64Array(regionCount * BINS);
  const students: Student[] = new Array(studentCount);

  // Exam numbers: year + city code + a sequence of fixed width.
  const examPrefix = `${year}430201`;
  const examWidth = Math.max(5, digits(studentCount));

  // Birth dates over three school years; most born Sept (year-16) .. Aug (year-15).
  const birthStart = `${year - 17}-09-01`;
  const birthDays = daysBetween(birthStart, `${year - 14}-09-01`);
  const birthIso: string[] = new Array(birthDays);
  const birthCompact: string[] = new Array(birthDays);
  const birthChecksum = new Int32Array(birthDays);
  for (let d = 0; d < birthDays; d++) {
    const iso = isoDate(year - 17, 9, 1, d);
    birthIso[d] = iso;
    birthCompact[d] = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (birthCompact[d].charCodeAt(i) - 48) * ID_WEIGHTS[6 + i];
    birthChecksum[d] = sum;
  }
  const mainYearStart = daysBetween(birthStart, `${year - 16}-09-01`);
  const mainYearEnd = daysBetween(birthStart, `${year - 15}-09-01`);
  const regionChecksum = REGION_INFO.map((r) => {
    let sum = 0;
    for (let i = 0; i < 6; i++) sum += (r.adminCode.charCodeAt(i) - 48) * ID_WEIGHTS[i];
    return sum;
  });
  // Next free sequence per (ID region, birth day, gender): keeps ID numbers unique.
  const idSequence = new Int32Array(regionCount * birthDays * 2);

  // Surnames by frequency.
  const surnameTable: string[] = [];
  for (const [surname, weight] of SURNAMES) for (let i = 0; i < weight; i++) surnameTable.push(surname);

  // Transfers (学籍变动): dates from October of grade 7 to April of grade 9.
  const gradeSevenStart = `${year - 3}-09-01`;
  const transferFrom = `${year - 3}-10-01`;
  const transferDays = daysBetween(transferFrom, `${year}-05-01`);
  const ruralJuniors: number[] = [];
  const juniorsByRegion: number[][] = REGION_INFO.map(() => []);
  juniors.schools.forEach((j, i) => {
    if (j.rural) ruralJuniors.push(i);
    juniorsByRegion[juniors.region[i]].push(i);
  });

  const subjectKeys = SUBJECTS.map((s) => s.key);
  const subjectStep = SUBJECTS.map((s) => (s.halfPoints ? 2 : 1));
  const subjectMax = SUBJECTS.map((s) => s.max);
  const subjectMean = subjectKeys.map((k) => SUBJECT_MODEL[k].mean);
  const subjectSd = subjectKeys.map((k) => SUBJECT_MODEL[k].sd);
  const subjectRho = subjectKeys.map((k) => SUBJECT_MODEL[k].rho);
  const subjectNoise = subjectRho.map((rho) => Math.sqrt(1 - rho * rho));
  const half = new Int32Array(SUBJECTS.length);

  let seq = 0;
  for (let j = 0; j < juniors.schools.length; j++) {
    const junior = juniors.schools[j];
    const region = juniors.region[j];
    const regionCode = REGION_INFO[region].code;
    const effect = juniors.effect[j];
    for (let g = 0; g < junior.graduates; g++) {
      seq++;
      const examNo = flatten(examPrefix + pad(seq, examWidth));
      const male = rng.next() < 0.52;

      // Name: surname + one or two given-name characters.
      const pool = male ? GIVEN_MALE : GIVEN_FEMALE;
      let name = surnameTable[rng.int(surnameTable.length)] + pool[rng.int(pool.length)];
      if (rng.next() < 0.8) name += pool[rng.int(pool.length)];

      // Birth date and ID card number (region, date, sequence: odd for male, check digit).
      const idRegion = rng.next() < 0.95 ? region : rng.int(regionCount);
      const u = rng.next();
      let day =
        u < 0.1 ? rng.int(mainYearStart)
        : u < 0.97 ? mainYearStart + rng.int(mainYearEnd - mainYearStart)
        : mainYearEnd + rng.int(birthDays - mainYearEnd);
      let slot = (idRegion * birthDays + day) * 2 + (male ? 1 : 0);
      for (let tries = 0; idSequence[slot] >= (male ? 500 : 499); tries++) {
        if (tries >= birthDays) throw new RangeError('generateCity: too many students for unique ID card numbers');
        day = (day + 1) % birthDays;
        slot = (idRegion * birthDays + day) * 2 + (male ? 1 : 0);
      }
      const order = idSequence[slot]++;
      const idSeq = male ? 2 * order + 1 : 2 * order + 2;
      const d0 = Math.floor(idSeq / 100);
      const d1 = Math.floor(idSeq / 10) % 10;
      const d2 = idSeq % 10;
      const check = ID_CHECK[(regionChecksum[idRegion] + birthChecksum[day] + d0 * 8 + d1 * 4 + d2 * 2) % 11];
      const idCardNo = flatten(REGION_INFO[idRegion].adminCode + birthCompact[day] + d0 + d1 + d2 + check);

      // Ability: the junior school's effect plus the student's own.
      const ability = 0.4 * effect + 0.9165 * rng.normal();
      let totalHalf = 0;
      for (let s = 0; s < half.length; s++) {
        const x = subjectRho[s] * ability + subjectNoise[s] * rng.normal();
        const steps = subjectMax[s] * subjectStep[s];
        let units = Math.round((subjectMean[s] + subjectSd[s] * x) * steps);
        if (units < 0) units = 0;
        else if (units > steps) units = steps;
        half[s] = subjectStep[s] === 2 ? units : units * 2;
        totalHalf += half[s];
      }
      const scores: Scores = {
        chinese: half[0] / 2,
        math: half[1] / 2,
        english: half[2] / 2,
        physics: half[3] / 2,
        chemistry: half[4] / 2,
        politics: half[5] / 2,
        history: half[6] / 2,
        pe: half[7] / 2,
      };
      histogram[region * BINS + totalHalf]++;

      const e = 0.6 * ability + 0.8 * rng.normal();
      const evaluation: Evaluation = e > GRADE_A ? 'A' : e > GRADE_B ? 'B' : e > GRADE_C ? 'C' : 'D';

      const student: Student = {
        examNo,
        name,
        idCardNo,
        gender: male ? 'male' : 'female',
        birthDate: birthIso[day],
        juniorSchoolId: junior.id,
        regionCode,
        scores,
        total: totalHalf / 2,
        evaluation,
        enrolledSince: gradeSevenStart,
        quotaEligible: true,
        choices: EMPTY_CHOICES,
      };

      if (rng.next() < TRANSFER_RATE) {
        const moved = isoDate(year - 3, 10, 1, rng.int(transferDays));
        const late = moved > quotaCutoff;
        // Late moves are mostly from rural schools (chasing quota seats); others stay in the region.
        let previous = -1;
        for (let attempt = 0; attempt < 8 && (previous < 0 || previous === j); attempt++) {
          const list = late && ruralJuniors.length > 0 && rng.next() < 0.7 ? ruralJuniors : juniorsByRegion[region];
          previous = list[rng.int(list.length)];
        }
        if (previous >= 0 && previous !== j) {
          student.enrolledSince = moved;
          student.quotaEligible = !late;
          student.history = [
            { juniorSchoolId: juniors.schools[previous].id, from: gradeSevenStart, to: moved },
            { juniorSchoolId: junior.id, from: moved, to: null },
          ];
        }
      }
      students[seq - 1] = student;
    }
  }
  return { students, histogram };
}

// ---------------------------------------------------------------------------
// 3. High schools
// ---------------------------------------------------------------------------

interface HighBuild {
  schools: HighSchool[];
  /** Estimated cutoff (the level students aim at), aligned with `schools`. */
  estimatedCutoffs: Float64Array;
  controlLines: { quality: number; ordinary: number };
}

function buildHighSchools(rng: Rng, studentCount: number, regionStudents: number[], histogram: Float64Array): HighBuild {
  const regionCount = REGION_INFO.length;
  const total = Math.max(3 * regionCount, Math.round((studentCount * HIGHS_PER_45K) / 45_000));
  const perRegion = splitByWeight(total, regionStudents).map((n) => Math.max(3, n));
  const specs: HighSpec[] = [];
  const usedNames = new Set<string>();
  const uniqueName = (name: string) => {
    let out = name;
    for (let n = 2; usedNames.has(out); n++) out = `${name}（${chineseNumber(n)}）`;
    usedNames.add(out);
    return out;
  };

  for (let r = 0; r < regionCount; r++) {
    const info = REGION_INFO[r];
    const h = perRegion[r];
    const quality = Math.max(1, Math.round(h * (info.rural ? 0.33 : 0.45)));
    const privates = Math.max(1, Math.round(h * (info.rural ? 0.3 : 0.35)));
    const ordinary = Math.max(0, h - quality - privates);
    const prefix = info.rural ? info.name : `株洲市${info.name}`;
    let numbered = 1;
    const nextNumbered = () => `${prefix}第${chineseNumber(numbered++)}高级中学`;
    const words = rng.shuffled(PRIVATE_WORDS);

    // Seat budget of the region, split between categories (a missing category's share goes to quality).
    const budget = regionStudents[r] * (info.rural ? SEAT_RATE_RURAL : SEAT_RATE_URBAN);
    const shares = info.rural ? [0.45, 0.33, 0.22] : [0.5, 0.25, 0.25];
    if (ordinary === 0) {
      shares[0] += shares[1];
      shares[1] = 0;
    }
    const categoryCounts = [quality, ordinary, privates];
    for (let c = 0; c < 3; c++) {
      const count = categoryCounts[c];
      const weights = Array.from({ length: count }, (_, k) => (k === 0 ? 1.35 : rng.range(0.8, 1.15)));
      const sum = weights.reduce((a, b) => a + b, 0);
      for (let k = 0; k < count; k++) {
        const capacity = Math.max(10, Math.round((budget * shares[c] * weights[k]) / sum / 5) * 5);
        if (c === 0) {
          const named = QUALITY_HIGH_NAMES[info.code][k];
          specs.push({
            region: r, category: info.rural ? 'regionQuality' : 'cityQuality', rank: k,
            name: uniqueName(named ?? nextNumbered()), ownership: 'public', scope: info.rural ? 'region' : 'city',
            batch: 1, capacity, quotaPercent: 50 + 5 * rng.int(3), isNew: false,
          });
        } else if (c === 1) {
          const named = ORDINARY_HIGH_NAMES[info.code][k];
          specs.push({
            region: r, category: 'ordinary', rank: k, name: uniqueName(named ?? nextNumbered()), ownership: 'public',
            // The city's own (市直) ordinary schools take students from the whole city.
            scope: info.rural ? 'region' : 'city', batch: 2, capacity, isNew: false,
          });
        } else {
          const word = words[k % words.length];
          const round = Math.floor(k / words.length);
          const name = round === 0 ? `${info.name}${word}高级中学` : `${info.name}${word}高级中学第${chineseNumber(round + 1)}校区`;
          specs.push({
            region: r, category: 'regionPrivate', rank: k, name: uniqueName(name), ownership: 'private', scope: 'region',
            // With two or more private schools in a region, the first admits in batch 2.
            batch: privates >= 2 && k === 0 ? 2 : 3, capacity, isNew: rng.next() < 0.1,
          });
        }
      }
    }
  }

  // A couple of city-scope private schools (approved by the bureau), in the urban districts.
  const urbanRegions = REGION_INFO.map((r, i) => (r.rural ? -1 : i)).filter((i) => i >= 0);
  const cityPrivates = Math.max(2, Math.round(total * 0.06));
  const cityWords = rng.shuffled(PRIVATE_WORDS);
  for (let k = 0; k < cityPrivates; k++) {
    const word = cityWords[k % cityWords.length];
    const round = Math.floor(k / cityWords.length);
    const name = round === 0 ? `株洲${word}学校` : `株洲${word}学校第${chineseNumber(round + 1)}校区`;
    specs.push({
      region: urbanRegions[k % urbanRegions.length], category: 'cityPrivate', rank: k, name: uniqueName(name),
      ownership: 'private', scope: 'city', batch: k % 3 === 0 ? 2 : 3,
      capacity: Math.max(10, Math.round((studentCount * SEAT_RATE_CITY_PRIVATE) / cityPrivates / 5) * 5),
      isNew: false,
    });
  }

  // Ids in a stable, readable order: batch, city scope first, public first, region, rank.
  specs.sort(
    (a, b) =>
      a.batch - b.batch ||
      (a.scope === b.scope ? 0 : a.scope === 'city' ? -1 : 1) ||
      (a.ownership === b.ownership ? 0 : a.ownership === 'public' ? -1 : 1) ||
      a.region - b.region ||
      CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category] ||
      a.rank - b.rank,
  );
  const width = Math.max(2, digits(specs.length));

  // Control lines from this year's score distribution.
  const cityHistogram = new Float64Array(BINS);
  for (let r = 0; r < regionCount; r++) for (let b = 0; b < BINS; b++) cityHistogram[b] += histogram[r * BINS + b];
  const quantileFromTop = (share: number) => {
    const target = share * studentCount;
    let seen = 0;
    for (let b = BINS - 1; b >= 0; b--) {
      seen += cityHistogram[b];
      if (seen >= target) return b / 2;
    }
    return 0;
  };
  const floorTo5 = (x: number) => Math.floor(x / 5) * 5;
  const qualityLine = floorTo5(quantileFromTop(0.45));
  const ordinaryLine = floorTo5(quantileFromTop(0.7));

  const schools: HighSchool[] = specs.map((spec, i) => {
    const school: HighSchool = {
      id: `H${pad(i + 1, width)}`,
      name: spec.name,
      regionCode: REGION_INFO[spec.region].code,
      ownership: spec.ownership,
      quality: spec.quotaPercent !== undefined,
      batch: spec.batch,
      scope: spec.scope,
      capacity: spec.capacity,
      classes: Math.ceil(spec.capacity / 50),
    };
    if (spec.quotaPercent !== undefined) {
      school.quotaPercent = spec.quotaPercent;
      school.minPerSchool = 1;
      school.minScore = qualityLine;
      // The two strongest city schools ask for grade B; their quota students may have C.
      const strongest = spec.category === 'cityQuality' && spec.rank === 0 && spec.region < 2;
      school.minEvaluation = strongest ? 'B' : 'C';
      if (spec.scope === 'city' || spec.rank === 0) {
        school.quotaMinScore = qualityLine - 20;
        if (strongest) school.quotaMinEvaluation = 'C';
      }
    } else if (spec.category === 'ordinary') {
      if (spec.scope === 'city') {
        school.minScore = ordinaryLine;
        school.minEvaluation = 'C';
      } else if (spec.rank === 0) {
        school.minScore = ordinaryLine - 20;
      }
    } else if (spec.category === 'cityPrivate' && spec.batch === 2) {
      school.minScore = ordinaryLine;
    }
    return school;
  });

  const estimatedCutoffs = estimateCutoffs(specs, schools, histogram);
  for (let i = 0; i < schools.length; i++) {
    const estimate = estimatedCutoffs[i];
    if (!specs[i].isNew && estimate >= 0) schools[i].lastYearCutoff = Math.max(0, roundHalf(estimate + 6 * rng.normal()));
    if (estimate < 0) estimatedCutoffs[i] = schools[i].minScore ?? 0;
  }
  return { schools, estimatedCutoffs, controlLines: { quality: qualityLine, ordinary: ordinaryLine } };
}

/** How much of region `r`'s students a school's pool draws on (city-scope schools attract rural students less). */
function participation(r: number, school: HighSchool, schoolRegion: number): number {
  if (r === schoolRegion) return 1;
  if (school.scope === 'region') return 0;
  return REGION_INFO[r].rural ? 0.2 : 0.8;
}

/**
 * Fill schools from the per-region score histogram in order of prestige (batch,
 * then flagship first); a school's estimated cutoff is the lowest total it takes.
 * -1 when it takes nobody.
 */
function estimateCutoffs(specs: HighSpec[], schools: HighSchool[], histogram: Float64Array): Float64Array {
  const regionCount = REGION_INFO.length;
  const remaining = Float64Array.from(histogram);
  const out = new Float64Array(schools.length).fill(-1);
  const order = specs
    .map((_, i) => i)
    .sort(
      (a, b) =>
        specs[a].batch - specs[b].batch ||
        specs[a].rank - specs[b].rank ||
        CATEGORY_ORDER[specs[a].category] - CATEGORY_ORDER[specs[b].category] ||
        specs[a].region - specs[b].region,
    );
  const weights = new Float64Array(regionCount);
  for (const i of order) {
    const school = schools[i];
    for (let r = 0; r < regionCount; r++) weights[r] = participation(r, school, specs[i].region);
    const lowest = school.minScore !== undefined ? Math.ceil(school.minScore * 2) : 0;
    let taken = 0;
    for (let b = BINS - 1; b >= lowest && taken < school.capacity; b--) {
      let available = 0;
      for (let r = 0; r < regionCount; r++) available += weights[r] * remaining[r * BINS + b];
      if (available <= 0) continue;
      const fraction = Math.min(1, (school.capacity - taken) / available);
      for (let r = 0; r < regionCount; r++) remaining[r * BINS + b] -= fraction * weights[r] * remaining[r * BINS + b];
      taken += fraction * available;
      out[i] = b / 2;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// 4. Choices (志愿)
// ---------------------------------------------------------------------------

/** Chance, per batch list, of also listing a region-scope school of another region (ineligible). */
const FOREIGN_CHOICE_RATE = 0.01;

interface Candidates {
  /** School indexes, highest estimated cutoff first. */
  school: Int32Array;
  cutoff: Float64Array;
  /** Preference for the school from this region (own region 1). */
  preference: Float64Array;
}

function assignChoices(rng: Rng, students: Student[], schools: HighSchool[], cutoffs: Float64Array): void {
  const regionIndex = new Map<string, number>(REGION_INFO.map((r, i) => [r.code, i]));
  const schoolRegion = schools.map((s) => regionIndex.get(s.regionCode)!);
  const candidates: Candidates[][] = [];
  const foreign: Int32Array[][] = [];
  for (let r = 0; r < REGION_INFO.length; r++) {
    candidates.push([]);
    foreign.push([]);
    for (let b = 1; b <= 3; b++) {
      const open: number[] = [];
      const other: number[] = [];
      schools.forEach((s, i) => {
        if (s.batch !== b) return;
        if (s.scope === 'city' || schoolRegion[i] === r) open.push(i);
        else other.push(i);
      });
      open.sort((x, y) => cutoffs[y] - cutoffs[x] || x - y);
      candidates[r].push({
        school: Int32Array.from(open),
        cutoff: Float64Array.from(open, (i) => cutoffs[i]),
        // Students favour their own region; rural families rarely send children to the city.
        preference: Float64Array.from(open, (i) => (schoolRegion[i] === r ? 1 : REGION_INFO[r].rural ? 0.3 : 0.7)),
      });
      foreign[r].push(Int32Array.from(other));
    }
  }

  const maxCandidates = Math.max(1, ...candidates.flat().map((c) => c.school.length));
  const weight = new Float64Array(maxCandidates);
  const picked = new Int32Array(maxCandidates);
  const ids: string[] = new Array(maxCandidates + 1).fill('');
  const lists: (readonly string[])[] = [NO_CHOICES, NO_CHOICES, NO_CHOICES];
  const interned = new Map<string, readonly string[]>();

  for (const student of students) {
    const r = regionIndex.get(student.regionCode)!;
    const level = student.total + 12 * rng.normal();
    const batch1 = candidates[r][0];
    const weakest = batch1.cutoff.length > 0 ? batch1.cutoff[batch1.cutoff.length - 1] : 0;
    const wanted = [
      level >= weakest - 30 ? 3 + rng.int(2) : rng.next() < 0.25 ? 0 : 1 + rng.int(2),
      3 + rng.int(2),
      1 + rng.int(3),
    ];
    for (let b = 0; b < 3; b++) {
      const list = candidates[r][b];
      const count = pickAround(rng, list, level, wanted[b], weight, picked);
      for (let k = 0; k < count; k++) ids[k] = schools[list.school[picked[k]]].id;
      let length = count;
      // Now and then two neighbours swap: personal taste beats last year's cutoff.
      if (count >= 2 && rng.next() < 0.1) {
        const k = rng.int(count - 1);
        const t = ids[k];
        ids[k] = ids[k + 1];
        ids[k + 1] = t;
      }
      const others = foreign[r][b];
      if (count > 0 && others.length > 0 && rng.next() < FOREIGN_CHOICE_RATE) {
        const at = rng.int(count + 1);
        for (let k = count; k > at; k--) ids[k] = ids[k - 1];
        ids[at] = schools[others[rng.int(others.length)]].id;
        length++;
      }
      lists[b] = internList(interned, ids, length);
    }
    student.choices = { '1': lists[0], '2': lists[1], '3': lists[2] };
  }
}

/** The frozen, shared list equal to `ids[0..length)`. */
function internList(interned: Map<string, readonly string[]>, ids: string[], length: number): readonly string[] {
  if (length === 0) return NO_CHOICES;
  let key = ids[0];
  for (let k = 1; k < length; k++) key += ',' + ids[k];
  let list = interned.get(key);
  if (!list) {
    list = Object.freeze(ids.slice(0, length));
    interned.set(key, list);
  }
  return list;
}

/**
 * Draw up to `wanted` distinct candidates near `level` into `picked` (as
 * positions in the list, sorted so the most selective comes first); returns how
 * many. Schools above the level (reach) are likelier the closer they are.
 */
function pickAround(rng: Rng, list: Candidates, level: number, wanted: number, weight: Float64Array, picked: Int32Array): number {
  const n = list.school.length;
  const count = Math.min(wanted, n);
  if (count === 0) return 0;
  // First school whose cutoff is at or below the level (cutoffs descend).
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.cutoff[mid] <= level) hi = mid;
    else lo = mid + 1;
  }
  let from = Math.max(0, lo - 4);
  let to = Math.min(n, lo + 8);
  while (to - from < count + 3 && (from > 0 || to < n)) {
    if (from > 0) from--;
    if (to < n) to++;
  }
  for (let i = from; i < to; i++) {
    const gap = list.cutoff[i] - level;
    const near = gap > 0 ? 0.7 / (1 + (gap / 15) ** 2) : 1 / (1 + (gap / 40) ** 2);
    weight[i - from] = near * list.preference[i] + 1e-6;
  }
  const span = to - from;
  for (let k = 0; k < count; k++) {
    let sum = 0;
    for (let i = 0; i < span; i++) sum += weight[i];
    let x = rng.next() * sum;
    let chosen = span - 1;
    for (let i = 0; i < span; i++) {
      if (weight[i] <= 0) continue;
      x -= weight[i];
      if (x < 0) {
        chosen = i;
        break;
      }
    }
    while (weight[chosen] <= 0) chosen--; // rounding at the very end of the range
    weight[chosen] = 0;
    // Insert keeping positions ascending.
    let p = k;
    while (p > 0 && picked[p - 1] > from + chosen) {
      picked[p] = picked[p - 1];
      p--;
    }
    picked[p] = from + chosen;
  }
  return count;
}

// ---------------------------------------------------------------------------
// 5. Accounts
// ---------------------------------------------------------------------------

function buildAccounts(juniors: JuniorSchool[], highs: HighSchool[], students: Student[]): Account[] {
  const accounts: Account[] = [{ username: 'bureau', role: 'bureau', displayName: '株洲市教育局' }];
  for (const r of REGION_INFO) {
    accounts.push({ username: `bureau-${r.code}`, role: 'bureau', displayName: r.bureauName, regionCode: r.code });
  }
  accounts.push({ username: 'auditor', role: 'auditor', displayName: '株洲市人民政府教育督导室' });
  for (const h of highs) {
    accounts.push({ username: h.id.toLowerCase(), role: 'high', displayName: h.name, highSchoolId: h.id, regionCode: h.regionCode });
  }
  for (const j of juniors) {
    accounts.push({ username: j.id.toLowerCase(), role: 'junior', displayName: j.name, juniorSchoolId: j.id, regionCode: j.regionCode });
  }
  for (const s of students) {
    accounts.push({
      username: s.examNo,
      role: 'student',
      displayName: s.name,
      studentId: s.examNo,
      juniorSchoolId: s.juniorSchoolId,
      regionCode: s.regionCode,
    });
  }
  return accounts;
}

// ---------------------------------------------------------------------------
// Converters to the engine's inputs (ALLOCATION.md §1 and §2)
// ---------------------------------------------------------------------------

export interface QuotaInstanceJson {
  format: typeof QUOTA_INSTANCE_FORMAT;
  juniorSchools: { id: string; region: string; graduates: number; weightPercent: number }[];
  highSchools: { id: string; region: string; scope: Scope; capacity: number; quotaPercent: number; minPerSchool?: number }[];
}

export interface AllocationPolicyJson {
  quotaPrecedence?: 'openFirst' | 'quotaFirst';
  unusedQuota?: 'revert' | 'keep';
  tieBreak?: string[];
}

export interface AllocationHighSchoolJson {
  id: string;
  region: string;
  ownership: Ownership;
  batch: number;
  scope: Scope;
  capacity: number;
  minScore?: number;
  minEvaluation?: Evaluation;
  /** 指标生名额 per junior school id. */
  quota?: Record<string, number>;
  quotaMinScore?: number;
  quotaMinEvaluation?: Evaluation;
}

export interface AllocationStudentJson {
  id: string;
  junior: string;
  region: string;
  total: number;
  scores: Scores;
  evaluation: Evaluation;
  quotaEligible: boolean;
  choices: StudentChoices;
}

export interface AllocationInstanceJson {
  format: typeof ALLOCATION_INSTANCE_FORMAT;
  seed: string;
  policy: AllocationPolicyJson;
  highSchools: AllocationHighSchoolJson[];
  students: AllocationStudentJson[];
}

/** The policy used when none is given: the example of ALLOCATION.md §2. */
export const DEFAULT_DEMO_POLICY: Readonly<Required<AllocationPolicyJson>> = Object.freeze({
  quotaPrecedence: 'openFirst',
  unusedQuota: 'revert',
  tieBreak: ['chinese+math+english', 'math', 'chinese', 'evaluation'],
});

/** The quota-distribution input (§1) of a city: every junior school, and the quality schools with their quotaPercent. */
export function toQuotaInstance(city: DemoCity): QuotaInstanceJson {
  return {
    format: QUOTA_INSTANCE_FORMAT,
    juniorSchools: city.juniorSchools.map((j) => ({
      id: j.id,
      region: j.regionCode,
      graduates: j.graduates,
      weightPercent: j.weightPercent,
    })),
    highSchools: city.highSchools
      .filter((h) => h.quotaPercent !== undefined)
      .map((h) => ({
        id: h.id,
        region: h.regionCode,
        scope: h.scope,
        capacity: h.capacity,
        quotaPercent: h.quotaPercent!,
        ...(h.minPerSchool !== undefined ? { minPerSchool: h.minPerSchool } : {}),
      })),
  };
}

/**
 * The allocation input (§2) of a city, with the quota seats of a quota result
 * (`quota[highSchoolId][juniorSchoolId]`). Students' scores and choices are shared
 * with the city, not copied.
 */
export function toAllocationInstance(
  city: DemoCity,
  opts: { seed: string; quota: Record<string, Record<string, number>>; policy?: AllocationPolicyJson },
): AllocationInstanceJson {
  const policy = opts.policy ?? DEFAULT_DEMO_POLICY;
  return {
    format: ALLOCATION_INSTANCE_FORMAT,
    seed: opts.seed,
    policy: { ...policy, ...(policy.tieBreak ? { tieBreak: [...policy.tieBreak] } : {}) },
    highSchools: city.highSchools.map((h) => {
      const school: AllocationHighSchoolJson = {
        id: h.id,
        region: h.regionCode,
        ownership: h.ownership,
        batch: h.batch,
        scope: h.scope,
        capacity: h.capacity,
      };
      if (h.minScore !== undefined) school.minScore = h.minScore;
      if (h.minEvaluation !== undefined) school.minEvaluation = h.minEvaluation;
      const quota = opts.quota[h.id];
      if (quota && Object.keys(quota).length > 0) school.quota = { ...quota };
      if (h.quotaMinScore !== undefined) school.quotaMinScore = h.quotaMinScore;
      if (h.quotaMinEvaluation !== undefined) school.quotaMinEvaluation = h.quotaMinEvaluation;
      return school;
    }),
    students: city.students.map((s) => ({
      id: s.examNo,
      junior: s.juniorSchoolId,
      region: s.regionCode,
      total: s.total,
      scores: s.scores,
      evaluation: s.evaluation,
      quotaEligible: s.quotaEligible,
      choices: s.choices,
    })),
  };
}
