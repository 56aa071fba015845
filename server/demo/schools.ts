/**
 * Junior and high schools of the demo city, and the estimated cutoff of each
 * high school (the level students aim at). Pure; see ./generate.ts.
 */
import {
  CITY_JUNIOR_NUMBERS,
  JUNIOR_SECTIONS,
  ORDINARY_HIGH_NAMES,
  PRIVATE_WORDS,
  QUALITY_HIGH_NAMES,
  REGION_INFO,
  chineseNumber,
  type RegionCode,
  type RegionInfo,
} from './catalogue';
import type { Rng } from './rng';
import type { Batch, HighSchool, JuniorSchool, Ownership, Scope } from './types';
import { digits, pad, roundHalf, splitByWeight } from './util';

const JUNIORS_PER_45K = 200;
const HIGHS_PER_45K = 40;
/** Seats per student in each region's own high schools; the rest go to vocational schools (out of scope). */
const SEAT_RATE_URBAN = 0.72;
const SEAT_RATE_RURAL = 0.63;
/** Seats of the city-scope private schools, per student of the city. */
const SEAT_RATE_CITY_PRIVATE = 0.02;

/** Totals are counted in half points: 0..1640 for 0..820. */
export const TOTAL_BINS = 1641;

// ---------------------------------------------------------------------------
// Junior schools
// ---------------------------------------------------------------------------

export interface JuniorBuild {
  schools: JuniorSchool[];
  /** The regions (REGION_INFO for the demo city, a province's otherwise). */
  regions: readonly RegionInfo[];
  /** Region index (into `regions`) of each school. */
  region: Int32Array;
  /** Ability shift of each school's students (school effect). */
  effect: Float64Array;
}

/** About 200 junior schools per 45,000 students, split by region and sized by a weight; graduates add up to the students. */
export function buildJuniorSchools(rng: Rng, studentCount: number, regionStudents: readonly number[], regions: readonly RegionInfo[] = REGION_INFO): JuniorBuild {
  const total = Math.max(2 * regions.length, Math.round((studentCount * JUNIORS_PER_45K) / 45_000));
  const perRegion = splitByWeight(total, regions.map((r) => r.population)).map((n) => Math.max(1, n));
  // Two digits of region number in a city (J0101); three in a province of over 99 regions.
  const regionWidth = Math.max(2, digits(regions.length));
  const width = Math.max(2, digits(Math.max(...perRegion)));
  const schools: JuniorSchool[] = [];
  const regionOf: number[] = [];
  const effects: number[] = [];
  const usedNames = new Set<string>();
  let urbanIndex = 0;

  for (let r = 0; r < regions.length; r++) {
    const info = regions[r];
    const count = perRegion[r];
    // County towns (县城) hold the first ~30% of a rural region's schools.
    const townSchools = info.rural ? Math.ceil(count * 0.3) : count;
    const names = info.rural
      ? ruralJuniorNames(rng, info.name, info.places, townSchools, count)
      : urbanJuniorNames(rng, info.code, info.cityName === undefined ? info.name : `${info.cityName}${info.name}`, info.places, info.cityName === undefined ? urbanIndex++ : CITY_JUNIOR_NUMBERS.length, count);
    const weights: number[] = [];
    for (let k = 0; k < count; k++) {
      const rural = info.rural && k >= townSchools;
      weights.push(rural ? rng.range(0.35, 1.1) : info.rural ? rng.range(1.5, 3) : rng.range(0.8, 2.2));
      let name = names[k];
      for (let n = 2; usedNames.has(name); n++) name = `${names[k]}（${chineseNumber(n)}）`;
      usedNames.add(name);
      schools.push({
        id: `J${pad(r + 1, regionWidth)}${pad(k + 1, width)}`,
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
  return { schools, regions, region: Int32Array.from(regionOf), effect: Float64Array.from(effects) };
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
// High schools
// ---------------------------------------------------------------------------

type Category = 'cityQuality' | 'regionQuality' | 'ordinary' | 'cityPrivate' | 'regionPrivate';

const CATEGORY_ORDER: Readonly<Record<Category, number>> = {
  cityQuality: 0,
  regionQuality: 1,
  ordinary: 2,
  cityPrivate: 3,
  regionPrivate: 4,
};

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
  /** Opened this year: no last-year cutoff. */
  isNew: boolean;
}

export interface HighBuild {
  schools: HighSchool[];
  /** Region index of each school. */
  region: Int32Array;
  /** Estimated cutoff (the level students aim at), aligned with `schools`. */
  estimatedCutoffs: Float64Array;
  controlLines: { quality: number; ordinary: number };
}

/**
 * About 40 high schools per 45,000 students. Per region: quality public schools
 * (batch 1; city scope in the urban districts, region scope in the counties),
 * ordinary public (batch 2), private (region scope, batch 2 or 3); plus a couple
 * of city-scope private schools. Seats are about 68% of the students.
 * `histogram[region * TOTAL_BINS + halfPoints]` counts this year's totals.
 */
export function buildHighSchools(
  rng: Rng,
  studentCount: number,
  regionStudents: readonly number[],
  histogram: Float64Array,
  regions: readonly RegionInfo[] = REGION_INFO,
): HighBuild {
  const regionCount = regions.length;
  const total = Math.max(3 * regionCount, Math.round((studentCount * HIGHS_PER_45K) / 45_000));
  const perRegion = splitByWeight(total, regions.map((r) => r.population)).map((n) => Math.max(3, n));
  const specs: HighSpec[] = [];
  const usedNames = new Set<string>();
  const uniqueName = (name: string) => {
    let out = name;
    for (let n = 2; usedNames.has(out); n++) out = `${name}（${chineseNumber(n)}）`;
    usedNames.add(out);
    return out;
  };

  for (let r = 0; r < regionCount; r++) {
    const info = regions[r];
    const h = perRegion[r];
    const quality = Math.max(1, Math.round(h * (info.rural ? 0.33 : 0.45)));
    const privates = Math.max(1, Math.round(h * (info.rural ? 0.3 : 0.35)));
    const ordinary = Math.max(0, h - quality - privates);
    const prefix = info.rural ? info.name : `${info.cityName ?? '株洲市'}${info.name}`;
    let numbered = 1;
    const nextNumbered = () => `${prefix}第${chineseNumber(numbered++)}高级中学`;
    const words = rng.shuffled(PRIVATE_WORDS);

    // The region's seats, split between categories (a missing category's share goes to quality).
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
          specs.push({
            region: r, category: info.rural ? 'regionQuality' : 'cityQuality', rank: k,
            name: uniqueName(QUALITY_HIGH_NAMES[info.code]?.[k] ?? nextNumbered()), ownership: 'public',
            scope: info.rural ? 'region' : 'city', batch: 1, capacity, quotaPercent: 50 + 5 * rng.int(3), isNew: false,
          });
        } else if (c === 1) {
          specs.push({
            region: r, category: 'ordinary', rank: k, name: uniqueName(ORDINARY_HIGH_NAMES[info.code]?.[k] ?? nextNumbered()),
            // The city's own (市直) ordinary schools take students from the whole city.
            ownership: 'public', scope: info.rural ? 'region' : 'city', batch: 2, capacity, isNew: false,
          });
        } else {
          const word = words[k % words.length];
          const round = Math.floor(k / words.length);
          const name = `${info.name}${word}高级中学${round === 0 ? '' : `第${chineseNumber(round + 1)}校区`}`;
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
  const urbanRegions = regions.map((r, i) => (r.rural ? -1 : i)).filter((i) => i >= 0);
  const cityPrivates = Math.max(3, Math.round(total * 0.07));
  const cityWords = rng.shuffled(PRIVATE_WORDS);
  for (let k = 0; k < cityPrivates; k++) {
    const word = cityWords[k % cityWords.length];
    const round = Math.floor(k / cityWords.length);
    const region = urbanRegions[k % urbanRegions.length];
    const city = regions[region].cityName?.replace(/市$/, '') ?? '株洲';
    specs.push({
      region, category: 'cityPrivate', rank: k,
      name: uniqueName(`${city}${word}学校${round === 0 ? '' : `第${chineseNumber(round + 1)}校区`}`),
      ownership: 'private', scope: 'city', batch: k % 3 === 0 ? 2 : 3,
      capacity: Math.max(10, Math.round((studentCount * SEAT_RATE_CITY_PRIVATE) / cityPrivates / 5) * 5),
      isNew: false,
    });
  }

  // Ids in a stable, readable order: batch, city scope first, public first, region, category, rank.
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

  // Control lines (最低控制线) from this year's score distribution.
  const cityHistogram = new Float64Array(TOTAL_BINS);
  for (let r = 0; r < regionCount; r++) for (let b = 0; b < TOTAL_BINS; b++) cityHistogram[b] += histogram[r * TOTAL_BINS + b];
  const quantileFromTop = (share: number) => {
    if (studentCount === 0) return 0;
    const target = share * studentCount;
    let seen = 0;
    for (let b = TOTAL_BINS - 1; b >= 0; b--) {
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
      regionCode: regions[spec.region].code,
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
      // The flagships of 荷塘 and 芦淞 ask for grade B; their quota students may have C.
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
  const region = Int32Array.from(specs, (s) => s.region);

  const estimatedCutoffs = estimateCutoffs(specs, schools, region, histogram, regions);
  for (let i = 0; i < schools.length; i++) {
    const estimate = estimatedCutoffs[i];
    if (!specs[i].isNew && estimate >= 0) schools[i].lastYearCutoff = Math.max(0, roundHalf(estimate + 6 * rng.normal()));
    if (estimate < 0) estimatedCutoffs[i] = schools[i].minScore ?? 0;
  }
  return { schools, region, estimatedCutoffs, controlLines: { quality: qualityLine, ordinary: ordinaryLine } };
}

/**
 * How much of region `r`'s students a school draws on: all of its own region,
 * none of another for a region-scope school; city-scope schools attract urban
 * students more than rural ones.
 */
export function participation(r: number, scope: Scope, schoolRegion: number, regions: readonly RegionInfo[] = REGION_INFO): number {
  if (r === schoolRegion) return 1;
  if (scope === 'region') return 0;
  // In a province, families look at the schools of their own city (a city-scope school may still take anyone).
  if (regions[r].cityName !== regions[schoolRegion].cityName) return 0;
  return regions[r].rural ? 0.2 : 0.8;
}

/**
 * Fill schools from the per-region score histogram in order of prestige (batch,
 * then flagships first); a school's estimated cutoff is the lowest total it
 * takes, -1 when it takes nobody. Cost: schools x regions x bins.
 */
function estimateCutoffs(specs: HighSpec[], schools: HighSchool[], region: Int32Array, histogram: Float64Array, regions: readonly RegionInfo[]): Float64Array {
  const regionCount = regions.length;
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
    for (let r = 0; r < regionCount; r++) weights[r] = participation(r, school.scope, region[i], regions);
    const lowest = school.minScore !== undefined ? Math.ceil(school.minScore * 2) : 0;
    let taken = 0;
    for (let b = TOTAL_BINS - 1; b >= lowest && taken < school.capacity; b--) {
      let available = 0;
      for (let r = 0; r < regionCount; r++) available += weights[r] * remaining[r * TOTAL_BINS + b];
      if (available <= 0) continue;
      const fraction = Math.min(1, (school.capacity - taken) / available);
      for (let r = 0; r < regionCount; r++) remaining[r * TOTAL_BINS + b] -= fraction * weights[r] * remaining[r * TOTAL_BINS + b];
      taken += fraction * available;
      out[i] = b / 2;
    }
  }
  return out;
}
