/**
 * The oversight dashboard's figures (PLATFORM.md "Charts where people would
 * rather look than read" and the policy indicators), computed from plain
 * rows: no database here.
 */
import { ENROLLMENT_FLAG_LIMIT, MAX_CLASS_SIZE, plannedEnrollment } from '../plans/plan-rules';

/** Score bands of the distribution chart, 50 points wide. */
export const SCORE_BAND = 50;

export interface DashboardInputs {
  regions: readonly { code: string; name: string; nameEn: string }[];
  students: readonly { id: string; regionCode: string; juniorSchoolId: string; total: number }[];
  highSchools: readonly { id: string; name: string; regionCode: string; ownership: 'public' | 'private'; scope: 'city' | 'region'; quality: boolean }[];
  juniorSchools: readonly { id: string; name: string; regionCode: string }[];
  plans: readonly { highSchoolId: string; capacity: number; classes: number }[];
  quotas: readonly { highSchoolId: string; juniorSchoolId: string; seats: number }[];
  /** The seats held as the year stands: round-1 seats not given up plus 补录 placements (unplaced students absent; see admissions/year-placements.ts). */
  placements: readonly { studentId: string; highSchoolId: string; seat: 'open' | 'quota' | 'reverted' | null }[];
  /** Policy share of a quality school's plan that must be quota seats (default 0.5). */
  quotaShare: number;
}

export interface Dashboard {
  scoreDistribution: { bands: string[]; series: { regionCode: string; regionName: string; counts: number[] }[] };
  /**
   * Per school: `cutoff` the lowest total of any seat held; `open`, `quota`
   * and `reverted` the lowest per seat type (quota: the lowest over its
   * junior schools). A chart must not mix them: a school's quota seats go
   * far below its open cutoff.
   */
  cutoffs: {
    highSchoolId: string;
    name: string;
    regionCode: string;
    admitted: number;
    cutoff: number | null;
    open: number | null;
    quota: number | null;
    reverted: number | null;
  }[];
  quotaUse: { juniorSchoolId: string; name: string; regionCode: string; seats: number; used: number }[];
  flows: { from: string; to: string; students: number }[];
  indicators: {
    /** Plans whose class size (capacity / classes) passes 55: must be 0 (大班额动态清零). */
    classesOver55: { count: number; schools: { highSchoolId: string; name: string; classSize: number }[] };
    /** Schools whose intake times three grades passes 3,000. */
    schoolsOver3000: { count: number; schools: { highSchoolId: string; name: string; estimatedEnrollment: number }[] };
    /** Quota seats / capacity of each quality (示范性) school; those below the policy share. */
    qualityQuotaShare: { required: number; share: number | null; below: { highSchoolId: string; name: string; share: number }[] };
    publicPrivate: { public: number; private: number };
    /** 属地招生: admissions at region-scope schools of students of their region. */
    localCompliance: { regionScopeAdmissions: number; local: number; share: number | null };
  };
}

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Band label of a score, e.g. 600 -> "600-649". */
export function scoreBand(total: number): number {
  return Math.floor(total / SCORE_BAND) * SCORE_BAND;
}

/** Pure: every figure of the dashboard from its inputs. */
export function computeDashboard(input: DashboardInputs): Dashboard {
  const students = new Map(input.students.map((s) => [s.id, s]));
  const schools = new Map(input.highSchools.map((h) => [h.id, h]));

  // Score distribution: bands spanning every score present, one series per region.
  const bandsPresent = input.students.map((s) => scoreBand(s.total));
  const low = bandsPresent.length ? Math.min(...bandsPresent) : 0;
  const high = bandsPresent.length ? Math.max(...bandsPresent) : 0;
  const bandStarts: number[] = [];
  for (let b = low; bandsPresent.length && b <= high; b += SCORE_BAND) bandStarts.push(b);
  const series = input.regions
    .map((region) => {
      const counts = bandStarts.map(() => 0);
      for (const s of input.students) if (s.regionCode === region.code) counts[(scoreBand(s.total) - low) / SCORE_BAND]++;
      return { regionCode: region.code, regionName: region.name, counts };
    })
    .filter((s) => s.counts.some((c) => c > 0));

  // Cutoff per school: the lowest total admitted (ALLOCATION.md: the last admitted's total).
  const admittedBySchool = new Map<string, { count: number; lowest: number; open: number | null; quota: number | null; reverted: number | null }>();
  for (const p of input.placements) {
    const total = students.get(p.studentId)?.total;
    if (total === undefined) continue;
    let s = admittedBySchool.get(p.highSchoolId);
    if (!s) admittedBySchool.set(p.highSchoolId, (s = { count: 0, lowest: total, open: null, quota: null, reverted: null }));
    s.count++;
    s.lowest = Math.min(s.lowest, total);
    const seat = p.seat ?? 'open';
    s[seat] = s[seat] === null ? total : Math.min(s[seat], total);
  }
  const cutoffs = input.highSchools
    .map((h) => {
      const s = admittedBySchool.get(h.id);
      return {
        highSchoolId: h.id,
        name: h.name,
        regionCode: h.regionCode,
        admitted: s?.count ?? 0,
        cutoff: s ? s.lowest : null,
        open: s?.open ?? null,
        quota: s?.quota ?? null,
        reverted: s?.reverted ?? null,
      };
    })
    // Ordered by the open cutoff, the one families compare; a school without open seats by its lowest.
    .sort((a, b) => (b.open ?? b.cutoff ?? -1) - (a.open ?? a.cutoff ?? -1) || a.highSchoolId.localeCompare(b.highSchoolId));

  // Quota seats per junior school, and how many its students took.
  const seatsByJunior = new Map<string, number>();
  for (const q of input.quotas) seatsByJunior.set(q.juniorSchoolId, (seatsByJunior.get(q.juniorSchoolId) ?? 0) + q.seats);
  const usedByJunior = new Map<string, number>();
  for (const p of input.placements) {
    if (p.seat !== 'quota') continue;
    const junior = students.get(p.studentId)?.juniorSchoolId;
    if (junior) usedByJunior.set(junior, (usedByJunior.get(junior) ?? 0) + 1);
  }
  const quotaUse = input.juniorSchools
    .filter((j) => seatsByJunior.has(j.id) || usedByJunior.has(j.id))
    .map((j) => ({ juniorSchoolId: j.id, name: j.name, regionCode: j.regionCode, seats: seatsByJunior.get(j.id) ?? 0, used: usedByJunior.get(j.id) ?? 0 }))
    .sort((a, b) => a.juniorSchoolId.localeCompare(b.juniorSchoolId));

  // Flows: student region -> school region.
  const flowCounts = new Map<string, number>();
  let publicAdmissions = 0;
  let privateAdmissions = 0;
  let regionScopeAdmissions = 0;
  let local = 0;
  for (const p of input.placements) {
    const student = students.get(p.studentId);
    const school = schools.get(p.highSchoolId);
    if (!student || !school) continue;
    const key = `${student.regionCode}\u0000${school.regionCode}`;
    flowCounts.set(key, (flowCounts.get(key) ?? 0) + 1);
    if (school.ownership === 'public') publicAdmissions++;
    else privateAdmissions++;
    if (school.scope === 'region') {
      regionScopeAdmissions++;
      if (student.regionCode === school.regionCode) local++;
    }
  }
  const flows = [...flowCounts]
    .map(([key, count]) => {
      const [from, to] = key.split('\u0000');
      return { from, to, students: count };
    })
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));

  // Policy indicators from the plans.
  const plans = input.plans.filter((p) => schools.has(p.highSchoolId));
  const over55 = plans
    .filter((p) => p.classes > 0 && p.capacity / p.classes > MAX_CLASS_SIZE)
    .map((p) => ({ highSchoolId: p.highSchoolId, name: schools.get(p.highSchoolId)!.name, classSize: round(p.capacity / p.classes, 1) }));
  const over3000 = plans
    .filter((p) => plannedEnrollment(p) > ENROLLMENT_FLAG_LIMIT)
    .map((p) => ({ highSchoolId: p.highSchoolId, name: schools.get(p.highSchoolId)!.name, estimatedEnrollment: plannedEnrollment(p) }));
  const quotaBySchool = new Map<string, number>();
  for (const q of input.quotas) quotaBySchool.set(q.highSchoolId, (quotaBySchool.get(q.highSchoolId) ?? 0) + q.seats);
  const qualityPlans = plans.filter((p) => schools.get(p.highSchoolId)!.quality && p.capacity > 0);
  const qualityCapacity = qualityPlans.reduce((sum, p) => sum + p.capacity, 0);
  const qualityQuota = qualityPlans.reduce((sum, p) => sum + (quotaBySchool.get(p.highSchoolId) ?? 0), 0);
  const below = qualityPlans
    .map((p) => ({ highSchoolId: p.highSchoolId, name: schools.get(p.highSchoolId)!.name, share: round((quotaBySchool.get(p.highSchoolId) ?? 0) / p.capacity) }))
    .filter((s) => s.share < input.quotaShare);

  return {
    scoreDistribution: { bands: bandStarts.map((b) => `${b}-${b + SCORE_BAND - 1}`), series },
    cutoffs,
    quotaUse,
    flows,
    indicators: {
      classesOver55: { count: over55.length, schools: over55 },
      schoolsOver3000: { count: over3000.length, schools: over3000 },
      qualityQuotaShare: { required: input.quotaShare, share: qualityCapacity ? round(qualityQuota / qualityCapacity) : null, below },
      publicPrivate: { public: publicAdmissions, private: privateAdmissions },
      localCompliance: { regionScopeAdmissions, local, share: regionScopeAdmissions ? round(local / regionScopeAdmissions) : null },
    },
  };
}
