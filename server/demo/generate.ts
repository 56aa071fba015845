/**
 * The demo city (演示数据): a Zhuzhou-like admissions year generated from a seed.
 *
 * Pure and deterministic: no I/O, no clock, no Math.random. The same options give
 * the same city, value for value, on any JavaScript engine (the PRNG uses only
 * 32-bit integer arithmetic; dates are calendar arithmetic on fixed dates).
 * No real personal data: names are assembled from surname and given-name lists,
 * ID card numbers are made up (valid GB 11643 checksum, Zhuzhou region prefix).
 *
 * How the city is built:
 * 1. students per region by population; junior schools per region by students
 *    (~200 per 45,000); graduates per junior school by a size weight;
 * 2. scores: an ability (junior-school effect + individual) drives every subject
 *    and the evaluation grade (./students.ts, pass 1);
 * 3. high schools (~40 per 45,000, ./schools.ts): quality (示范性) public in batch 1
 *    (city scope in the four urban districts, region scope in the counties),
 *    ordinary public in batch 2, private (mostly region scope) in batch 2 or 3;
 *    seats about 68% of the students; minimum lines from the score distribution;
 *    an estimated cutoff per school (schools fill from the per-region histogram of
 *    totals in order of prestige) gives last year's cutoff and students' targets;
 * 4. quota seats (指标生名额) by the rule of ALLOCATION.md §1, as the demo loader
 *    stores them;
 * 5. student records (pass 2): name, ID card number (unique in the city), 学籍
 *    (0.5% transferred, some after the quota cut-off date), choices (志愿: about
 *    ten over 3 batches around the student's level) and accounts. Every list of
 *    choices is one the portal's save rule accepts (../applications/choices.ts),
 *    with the limits of a cycle whose policy names none, as the demo cycle's.
 *
 * Time and memory are linear in the number of students: a few typed arrays and,
 * per student, the record, its scores, its choices object and its account
 * (equal choice lists are shared). On a 2-core VM that is about 11 µs of CPU
 * and 650 bytes of heap per student (one million: ~11 s, ~650 MB), most of it
 * V8 allocating and collecting the records; asking the save rule which schools
 * a student may list is a few table look-ups (see ChoiceMaker in ./students.ts).
 */
import { maxChoicesPerBatch } from '../domain/cycle-policy';
import { distributeQuotas } from '../domain/quotas/distribute';
import { REGION_INFO } from './catalogue';
import { provinceRegions } from './province';
import { toQuotaInstance } from './convert';
import { Rng } from './rng';
import { buildHighSchools, buildJuniorSchools } from './schools';
import { buildStudents, drawScores } from './students';
import type { RegionInfo } from './catalogue';
import { type Account, type DemoCity, DEMO_CITY_FORMAT, type GenerateCityOptions, type HighSchool, type JuniorSchool, type Region, SUBJECTS } from './types';
import { splitByWeight } from './util';

export * from './types';
export * from './convert';
export { REGION_INFO, type RegionInfo } from './catalogue';

/** Generate a whole demo city (regions, schools, students with scores and choices, accounts) from a seed. */
export function generateCity(options: GenerateCityOptions): DemoCity {
  const seed = options.seed;
  const studentCount = options.students ?? 45_000;
  const year = options.year ?? 2026;
  if (typeof seed !== 'string') throw new TypeError('generateCity: seed must be a string');
  if (!Number.isInteger(studentCount) || studentCount < 0 || studentCount > 2_000_000) {
    throw new RangeError(`generateCity: students must be an integer from 0 to 2,000,000, got ${studentCount}`);
  }
  if (!Number.isInteger(year) || year < 2000 || year > 9999) {
    throw new RangeError(`generateCity: year must be an integer from 2000 to 9999, got ${year}`);
  }
  // Independent streams, so that changing one part of the city leaves the others as they were.
  const stream = (label: string) => new Rng(`zz-demo|${seed}|${studentCount}|${year}|${label}`);

  const catalogue = options.province ? provinceRegions() : REGION_INFO;
  const regions: Region[] = catalogue.map((r) => ({ code: r.code, adminCode: r.adminCode, name: r.name, nameEn: r.nameEn, rural: r.rural }));
  const regionStudents = splitByWeight(studentCount, catalogue.map((r) => r.population));
  const juniors = buildJuniorSchools(stream('juniors'), studentCount, regionStudents, catalogue);
  const scores = drawScores(stream('scores'), juniors);
  const highs = buildHighSchools(stream('highs'), studentCount, regionStudents, scores.histogram, catalogue);
  const quotaEligibilityCutoff = `${year - 1}-09-01`;
  // The quota seats and choice limits a save is checked against: those the demo loader stores, its policy naming no limits.
  const quota = distributeQuotas(toQuotaInstance({ juniorSchools: juniors.schools, highSchools: highs.schools })).quota;
  const limits = maxChoicesPerBatch({});
  const accounts = staffAccounts(catalogue, juniors.schools, highs.schools);
  const students = buildStudents(
    stream('identity'),
    stream('choices'),
    { year, juniors, highs, scores, quotaCutoff: quotaEligibilityCutoff, rules: { limits, quota } },
    options.studentAccounts === false ? null : accounts,
  );

  return {
    format: DEMO_CITY_FORMAT,
    seed,
    year,
    city: options.province ? { name: '湖南省', nameEn: 'Hunan', adminCode: '430000' } : { name: '株洲市', nameEn: 'Zhuzhou', adminCode: '430200' },
    quotaEligibilityCutoff,
    controlLines: highs.controlLines,
    subjects: SUBJECTS,
    regions,
    juniorSchools: juniors.schools,
    highSchools: highs.schools,
    students,
    accounts,
  };
}

/** The city bureau, a bureau per region, the auditor, and an account per high and junior school. */
function staffAccounts(catalogue: readonly RegionInfo[], juniors: JuniorSchool[], highs: HighSchool[]): Account[] {
  const accounts: Account[] = [{ username: 'bureau', role: 'bureau', displayName: catalogue === REGION_INFO ? '株洲市教育局' : '湖南省教育厅' }];
  for (const r of catalogue) {
    accounts.push({ username: `bureau-${r.code}`, role: 'bureau', displayName: r.bureauName, regionCode: r.code });
  }
  accounts.push({ username: 'auditor', role: 'auditor', displayName: '株洲市人民政府教育督导室' });
  for (const h of highs) {
    accounts.push({ username: h.id.toLowerCase(), role: 'high', displayName: h.name, highSchoolId: h.id, regionCode: h.regionCode });
  }
  for (const j of juniors) {
    accounts.push({ username: j.id.toLowerCase(), role: 'junior', displayName: j.name, juniorSchoolId: j.id, regionCode: j.regionCode });
  }
  return accounts;
}
