import { describe, expect, it } from 'vitest';
import {
  ALLOCATION_INSTANCE_FORMAT,
  DEFAULT_DEMO_POLICY,
  DEMO_PASSWORD,
  type DemoCity,
  QUOTA_INSTANCE_FORMAT,
  type Role,
  SUBJECTS,
  generateCity,
  toAllocationInstance,
  toQuotaInstance,
} from './generate';
import { checkChoices, normalizeChoices, type ChoiceSchool } from '../domain/applications/choices';
import { maxChoicesFor, maxChoicesPerBatch } from '../domain/cycle-policy';
import { distributeQuotas } from '../domain/quotas/distribute';
import { chineseNumber } from './catalogue';
import { IdCardNumbers } from './id-cards';

const city = generateCity({ seed: 'test-2026' });
const schoolById = new Map(city.highSchools.map((h) => [h.id, h]));
const juniorById = new Map(city.juniorSchools.map((j) => [j.id, j]));

function idCardCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return '10X98765432'[sum % 11];
}

function isSortedAndUnique(ids: string[]): boolean {
  return ids.every((id, i) => i === 0 || ids[i - 1] < id);
}

/**
 * Checks every item with plain code and reports the first few that fail, so that
 * 45,000 students cost milliseconds, not one `expect` each.
 */
function failures<T>(items: readonly T[], check: (item: T) => string | undefined, limit = 5): string[] {
  const out: string[] = [];
  for (const item of items) {
    const problem = check(item);
    if (problem !== undefined && out.push(problem) >= limit) break;
  }
  return out;
}

describe('generateCity: determinism', () => {
  it('gives the same city for the same seed and options', () => {
    const a = generateCity({ seed: 'same', students: 6000 });
    const b = generateCity({ seed: 'same', students: 6000 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('gives another city for another seed', () => {
    const a = generateCity({ seed: 'one', students: 3000 });
    const b = generateCity({ seed: 'two', students: 3000 });
    expect(b.students.map((s) => s.total)).not.toEqual(a.students.map((s) => s.total));
    expect(b.students.map((s) => s.name)).not.toEqual(a.students.map((s) => s.name));
  });

  it('rejects bad options', () => {
    expect(() => generateCity({ seed: 'x', students: -1 })).toThrow(/students/);
    expect(() => generateCity({ seed: 'x', students: 1.5 })).toThrow(/students/);
    expect(() => generateCity({ seed: 'x', year: 26 })).toThrow(/year/);
  });
});

describe('generateCity: regions and schools (45,000 students)', () => {
  it('has Zhuzhou\'s nine regions, four urban', () => {
    expect(city.regions.map((r) => r.code)).toEqual(['HT', 'LS', 'SF', 'TY', 'LK', 'LL', 'YX', 'CL', 'YL']);
    expect(city.regions.map((r) => r.name)).toEqual(['荷塘区', '芦淞区', '石峰区', '天元区', '渌口区', '醴陵市', '攸县', '茶陵县', '炎陵县']);
    expect(city.regions.filter((r) => !r.rural).map((r) => r.code)).toEqual(['HT', 'LS', 'SF', 'TY']);
    for (const r of city.regions) expect(r.adminCode).toMatch(/^4302\d\d$/);
  });

  it('has about 200 junior schools whose graduates add up to the students', () => {
    expect(city.students).toHaveLength(45_000);
    expect(city.juniorSchools.length).toBeGreaterThanOrEqual(190);
    expect(city.juniorSchools.length).toBeLessThanOrEqual(210);
    expect(city.juniorSchools.reduce((a, j) => a + j.graduates, 0)).toBe(45_000);
    expect(city.juniorSchools[0].id).toBe('J0101');
    expect(isSortedAndUnique(city.juniorSchools.map((j) => j.id))).toBe(true);
    expect(new Set(city.juniorSchools.map((j) => j.name)).size).toBe(city.juniorSchools.length);
    for (const j of city.juniorSchools) {
      expect(j.id).toMatch(/^J0[1-9]\d{2}$/);
      expect(j.id.slice(1, 3)).toBe(String(city.regions.findIndex((r) => r.code === j.regionCode) + 1).padStart(2, '0'));
      expect(j.graduates).toBeGreaterThan(0);
      expect(j.weightPercent).toBe(j.rural ? 120 : 100);
      if (j.rural) expect(city.regions.find((r) => r.code === j.regionCode)!.rural).toBe(true);
    }
    expect(city.juniorSchools.some((j) => j.rural)).toBe(true);
    // Every region's students are its junior schools' graduates.
    for (const r of city.regions) {
      const graduates = city.juniorSchools.filter((j) => j.regionCode === r.code).reduce((a, j) => a + j.graduates, 0);
      expect(city.students.filter((s) => s.regionCode === r.code)).toHaveLength(graduates);
    }
  });

  it('has about 40 high schools with sound plans', () => {
    const highs = city.highSchools;
    expect(highs.length).toBeGreaterThanOrEqual(35);
    expect(highs.length).toBeLessThanOrEqual(48);
    expect(highs[0].id).toBe('H01');
    expect(isSortedAndUnique(highs.map((h) => h.id))).toBe(true);
    expect(new Set(highs.map((h) => h.name)).size).toBe(highs.length);
    for (const h of highs) {
      expect(h.id).toMatch(/^H\d{2}$/);
      expect(h.capacity).toBeGreaterThan(0);
      expect(h.classes).toBe(Math.ceil(h.capacity / 50));
      expect(h.capacity).toBeLessThanOrEqual(55 * h.classes);
      expect([1, 2, 3]).toContain(h.batch);
      if (h.quality) {
        expect(h.ownership).toBe('public');
        expect(h.batch).toBe(1);
        expect(h.quotaPercent).toBeGreaterThanOrEqual(50);
        expect(h.quotaPercent).toBeLessThanOrEqual(60);
      } else {
        expect(h.quotaPercent).toBeUndefined();
        expect(h.batch).toBeGreaterThanOrEqual(2);
      }
      if (h.ownership === 'public' && !h.quality) expect(h.batch).toBe(2);
      if (h.scope === 'city' && h.quality) expect(city.regions.find((r) => r.code === h.regionCode)!.rural).toBe(false);
      if (h.quotaMinScore !== undefined) expect(h.quotaMinScore).toBeLessThanOrEqual(h.minScore!);
    }
    const names = highs.map((h) => h.name);
    for (const name of ['株洲市第一中学', '株洲市第二中学', '株洲市南方中学', '株洲市第八中学', '醴陵市第一中学', '攸县第一中学', '茶陵县第一中学']) {
      expect(names).toContain(name);
    }
    expect(highs.find((h) => h.id === 'H01')!.name).toBe('株洲市第一中学');

    const cityQuality = highs.filter((h) => h.quality && h.scope === 'city');
    expect(cityQuality.length).toBeGreaterThanOrEqual(3);
    const privates = highs.filter((h) => h.ownership === 'private');
    const cityPrivates = privates.filter((h) => h.scope === 'city');
    expect(cityPrivates.length).toBeGreaterThanOrEqual(1);
    expect(cityPrivates.length).toBeLessThan(privates.length / 2);
    expect(new Set(privates.map((h) => h.batch))).toEqual(new Set([2, 3]));
    // Every batch is open to every region.
    for (const r of city.regions) {
      for (const batch of [1, 2, 3]) {
        expect(highs.some((h) => h.batch === batch && (h.scope === 'city' || h.regionCode === r.code))).toBe(true);
      }
    }
    expect(highs.some((h) => h.minScore !== undefined)).toBe(true);
    expect(highs.some((h) => h.minEvaluation !== undefined)).toBe(true);
    expect(highs.some((h) => h.quotaMinScore !== undefined)).toBe(true);
    expect(highs.filter((h) => h.lastYearCutoff !== undefined).length).toBeGreaterThan(highs.length / 2);
  });

  it('has seats for 60-75% of the students, so that admission is competitive', () => {
    const seats = city.highSchools.reduce((a, h) => a + h.capacity, 0);
    expect(seats / city.students.length).toBeGreaterThanOrEqual(0.6);
    expect(seats / city.students.length).toBeLessThanOrEqual(0.75);
  });

  it('orders last year\'s cutoffs roughly by prestige', () => {
    const cutoff = (name: string) => city.highSchools.find((h) => h.name === name)!.lastYearCutoff!;
    const ordinary = city.highSchools.filter((h) => h.batch === 2 && h.ownership === 'public' && h.lastYearCutoff !== undefined);
    const meanOrdinary = ordinary.reduce((a, h) => a + h.lastYearCutoff!, 0) / ordinary.length;
    expect(cutoff('株洲市第一中学')).toBeGreaterThan(meanOrdinary);
    expect(cutoff('醴陵市第一中学')).toBeGreaterThan(meanOrdinary);
  });
});

describe('generateCity: students', () => {
  it('have unique, well-formed exam and ID card numbers', () => {
    const examNos = city.students.map((s) => s.examNo);
    expect(isSortedAndUnique(examNos)).toBe(true);
    expect(failures(examNos, (no) => (/^2026430201\d{5}$/.test(no) ? undefined : no))).toEqual([]);
    expect(
      failures(city.students, (s) => {
        const id = s.idCardNo;
        if (!/^4302\d{13}[\dX]$/.test(id)) return `${s.examNo}: malformed ${id}`;
        if (id[17] !== idCardCheck(id)) return `${s.examNo}: bad check character in ${id}`;
        if (id.slice(6, 14) !== s.birthDate.replaceAll('-', '')) return `${s.examNo}: birth date ${s.birthDate} vs ${id}`;
        if (Number(id[16]) % 2 !== (s.gender === 'male' ? 1 : 0)) return `${s.examNo}: gender digit of ${id}`;
        return undefined;
      }),
    ).toEqual([]);
    expect(new Set(city.students.map((s) => s.idCardNo)).size).toBe(city.students.length);
  });

  it('get ID card numbers that stay unique when a birth day runs out of sequence numbers', () => {
    const days = ['20100901', '20100902', '20100903'];
    const ids = new IdCardNumbers(['430202', '430203'], days, 2);
    const issued = Array.from({ length: 6 }, () => ids.issue(0, 1, true));
    // Two per day and gender: days 1, 1, 2, 2, 0, 0 (wrapping), every number different and well-formed.
    expect(issued.map((x) => x.day)).toEqual([1, 1, 2, 2, 0, 0]);
    expect(new Set(issued.map((x) => x.idCardNo)).size).toBe(6);
    for (const { idCardNo, day } of issued) {
      expect(idCardNo).toMatch(/^430202\d{11}[\dX]$/);
      expect(idCardNo.slice(6, 14)).toBe(days[day]);
      expect(Number(idCardNo[16]) % 2).toBe(1);
      expect(idCardNo[17]).toBe(idCardCheck(idCardNo));
    }
    // The other gender and the other region have their own numbers; a full region refuses.
    expect(ids.issue(0, 1, false).idCardNo.slice(14, 17)).toBe('002');
    expect(ids.issue(1, 1, true).idCardNo.slice(0, 6)).toBe('430203');
    expect(() => ids.issue(0, 0, true)).toThrow(/unique ID card numbers/);
    expect(() => new IdCardNumbers(['430202', '430202'], days)).toThrow(/differ/);
  });

  it('have names of two to four characters and a plausible birth date', () => {
    expect(
      failures(city.students, (s) =>
        s.name.length < 2 || s.name.length > 4 || s.birthDate < '2009-09-01' || s.birthDate > '2012-08-31'
          ? `${s.examNo}: ${s.name} born ${s.birthDate}`
          : undefined,
      ),
    ).toEqual([]);
    const male = city.students.filter((s) => s.gender === 'male').length / city.students.length;
    expect(male).toBeGreaterThan(0.48);
    expect(male).toBeLessThan(0.56);
  });

  it('have scores within full marks whose sum is exactly the total', () => {
    expect(
      failures(city.students, (s) => {
        let halfPoints = 0;
        for (const subject of SUBJECTS) {
          const score = s.scores[subject.key];
          if (!(score >= 0 && score <= subject.max && Number.isInteger(score * 2))) return `${s.examNo}: ${subject.key} ${score}`;
          halfPoints += score * 2;
        }
        if (Object.keys(s.scores).length !== SUBJECTS.length) return `${s.examNo}: subjects ${Object.keys(s.scores)}`;
        return s.total === halfPoints / 2 ? undefined : `${s.examNo}: total ${s.total} vs ${halfPoints / 2}`;
      }),
    ).toEqual([]);
    expect(city.students.some((s) => !Number.isInteger(s.scores.chinese))).toBe(true);
  });

  it('have a realistic spread of totals and grades that follow ability', () => {
    const totals = city.students.map((s) => s.total).sort((a, b) => a - b);
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    const sd = Math.sqrt(totals.reduce((a, t) => a + (t - mean) ** 2, 0) / totals.length);
    expect(mean).toBeGreaterThan(480);
    expect(mean).toBeLessThan(640);
    expect(sd).toBeGreaterThan(60);
    expect(sd).toBeLessThan(140);
    expect(totals[totals.length - 1]).toBeLessThanOrEqual(820);

    const share = (g: string) => city.students.filter((s) => s.evaluation === g).length / city.students.length;
    expect(share('A')).toBeCloseTo(0.25, 1);
    expect(share('B')).toBeCloseTo(0.45, 1);
    expect(share('C')).toBeCloseTo(0.25, 1);
    expect(share('D')).toBeGreaterThan(0.02);
    expect(share('D')).toBeLessThan(0.09);
    const meanOf = (g: string) => {
      const t = city.students.filter((s) => s.evaluation === g);
      return t.reduce((a, s) => a + s.total, 0) / t.length;
    };
    expect(meanOf('A')).toBeGreaterThan(meanOf('B'));
    expect(meanOf('B')).toBeGreaterThan(meanOf('C'));
    expect(meanOf('C')).toBeGreaterThan(meanOf('D'));
  });

  it('have 学籍 since grade 7, a few transfers, and lose quota eligibility only by a late transfer', () => {
    const transferred = city.students.filter((s) => s.history !== undefined);
    expect(transferred.length).toBeGreaterThan(100);
    expect(transferred.length).toBeLessThan(400);
    expect(
      failures(city.students, (s) =>
        juniorById.get(s.juniorSchoolId)?.regionCode === s.regionCode ? undefined : `${s.examNo}: region ${s.regionCode}`,
      ),
    ).toEqual([]);
    expect(
      failures(city.students, (s) =>
        !s.history && (s.enrolledSince !== '2023-09-01' || !s.quotaEligible) ? `${s.examNo}: ${s.enrolledSince}` : undefined,
      ),
    ).toEqual([]);
    for (const s of transferred) {
      const [before, now] = s.history!;
      expect(s.history).toHaveLength(2);
      expect(before.from).toBe('2023-09-01');
      expect(before.to).toBe(s.enrolledSince);
      expect(before.juniorSchoolId).not.toBe(s.juniorSchoolId);
      expect(juniorById.has(before.juniorSchoolId)).toBe(true);
      expect(now).toEqual({ juniorSchoolId: s.juniorSchoolId, from: s.enrolledSince, to: null });
      expect(s.enrolledSince > '2023-09-01' && s.enrolledSince < '2026-05-01').toBe(true);
      expect(s.quotaEligible).toBe(s.enrolledSince <= city.quotaEligibilityCutoff);
    }
    expect(transferred.some((s) => !s.quotaEligible)).toBe(true);
    expect(transferred.some((s) => s.quotaEligible)).toBe(true);
  });

  it('list choices over three batches, each a school of that batch, without duplicates', () => {
    let choices = 0;
    let foreign = 0;
    const problems = failures(city.students, (s) => {
      if (Object.keys(s.choices).join() !== '1,2,3') return `${s.examNo}: batches ${Object.keys(s.choices)}`;
      const all: string[] = [];
      for (const batch of ['1', '2', '3'] as const) {
        for (const id of s.choices[batch]) {
          const school = schoolById.get(id);
          if (!school) return `${s.examNo}: unknown ${id}`;
          if (String(school.batch) !== batch) return `${s.examNo}: ${id} of batch ${school.batch} listed in batch ${batch}`;
          if (school.scope === 'region' && school.regionCode !== s.regionCode) foreign++;
          all.push(id);
        }
      }
      choices += all.length;
      return new Set(all).size === all.length ? undefined : `${s.examNo}: duplicate in ${all}`;
    });
    expect(problems).toEqual([]);
    // The minimum lines keep the weaker half from most batch-1 and some batch-2 schools (see the next tests).
    const perStudent = choices / city.students.length;
    expect(perStudent).toBeGreaterThan(6);
    expect(perStudent).toBeLessThan(9);
    // Region-scope schools of another region are refused at saving (属地招生), so never listed.
    expect(foreign).toBe(0);
  });

  it('list about ten choices when their scores open that many schools, weak students fewer in batch 1', () => {
    const byTotal = [...city.students].sort((a, b) => b.total - a.total);
    const half = Math.floor(byTotal.length / 2);
    const mean = (group: typeof byTotal, count: (s: (typeof byTotal)[number]) => number) => group.reduce((a, s) => a + count(s), 0) / group.length;
    const all = (s: (typeof byTotal)[number]) => s.choices['1'].length + s.choices['2'].length + s.choices['3'].length;
    const strong = byTotal.slice(0, half);
    const weak = byTotal.slice(half);
    expect(mean(strong, all)).toBeGreaterThan(8.5);
    expect(mean(strong, all)).toBeLessThanOrEqual(10);
    expect(mean(weak, (s) => s.choices['1'].length)).toBeLessThan(mean(strong, (s) => s.choices['1'].length) / 2);
    expect(weak.some((s) => s.choices['1'].length === 0)).toBe(true);
    // Most fill every slot of batch 2 and 3 they can; some leave one free.
    const limit2 = maxChoicesFor(maxChoicesPerBatch({}), 2);
    expect(strong.filter((s) => s.choices['2'].length === limit2).length / strong.length).toBeGreaterThan(0.8);
    expect(strong.some((s) => s.choices['2'].length === limit2 - 1)).toBe(true);
  });

  it('every application passes the portal\'s save rule, as the demo cycle stores it (all 45,000)', () => {
    // What demo/demo-loader.ts stores: every plan approved, the quota seats of §1, a policy naming no limits.
    const limits = maxChoicesPerBatch({});
    const quota = distributeQuotas(toQuotaInstance(city)).quota;
    const schoolsByJunior = new Map<string, Map<string, ChoiceSchool>>();
    const schoolsFor = (junior: string) => {
      let schools = schoolsByJunior.get(junior);
      if (!schools) {
        schools = new Map(
          city.highSchools.map((h) => [
            h.id,
            {
              id: h.id,
              batch: h.batch,
              region: h.regionCode,
              scope: h.scope,
              minScore: h.minScore ?? null,
              minEvaluation: h.minEvaluation ?? null,
              quotaSeatsForJunior: quota[h.id]?.[junior] ?? 0,
              quotaMinScore: h.quotaMinScore ?? null,
              quotaMinEvaluation: h.quotaMinEvaluation ?? null,
            },
          ]),
        );
        schoolsByJunior.set(junior, schools);
      }
      return schools;
    };
    let checked = 0;
    let byQuotaOnly = 0;
    const problems = failures(city.students, (s) => {
      const student = { region: s.regionCode, junior: s.juniorSchoolId, total: s.total, evaluation: s.evaluation, quotaEligible: s.quotaEligible };
      const schools = schoolsFor(s.juniorSchoolId);
      const found = checkChoices({ choices: normalizeChoices(s.choices), student, schools, limits });
      checked++;
      for (const id of s.choices['1']) {
        const h = schools.get(id)!;
        if (h.minScore != null && s.total < h.minScore) byQuotaOnly++;
      }
      return found.length === 0 ? undefined : `${s.examNo}: ${JSON.stringify(found)}`;
    });
    expect(problems).toEqual([]);
    expect(checked).toBe(45_000);
    // Quota seats (指标生) let some list a quality school below its open minimum line.
    expect(byQuotaOnly).toBeGreaterThan(100);
  });

  it('aim around their level: strong students list selective schools first', () => {
    const cutoffOf = (id: string) => schoolById.get(id)!.lastYearCutoff ?? 0;
    const firstChoiceCutoff = (from: number, to: number) => {
      const group = [...city.students].sort((a, b) => b.total - a.total).slice(from, to).filter((s) => s.choices['1'].length > 0);
      return group.reduce((a, s) => a + cutoffOf(s.choices['1'][0]), 0) / group.length;
    };
    expect(firstChoiceCutoff(0, 2000)).toBeGreaterThan(firstChoiceCutoff(20_000, 22_000) + 30);
    // Most students list mostly schools of their own region or city-scope schools.
    const ownOrCity = city.students.filter((s) =>
      [...s.choices['1'], ...s.choices['2'], ...s.choices['3']].every((id) => {
        const h = schoolById.get(id)!;
        return h.scope === 'city' || h.regionCode === s.regionCode;
      }),
    ).length;
    expect(ownOrCity / city.students.length).toBeGreaterThan(0.95);
  });
});

describe('generateCity: accounts', () => {
  it('has an account for every role, school and student, with unique usernames', () => {
    const accounts = city.accounts;
    expect(DEMO_PASSWORD).toBe('Zhuzhou@2026');
    expect(new Set(accounts.map((a) => a.username)).size).toBe(accounts.length);
    const byRole = (role: Role) => accounts.filter((a) => a.role === role);
    expect(byRole('bureau').map((a) => a.username)).toEqual(['bureau', ...city.regions.map((r) => `bureau-${r.code}`)]);
    expect(byRole('bureau').slice(1).map((a) => a.regionCode)).toEqual(city.regions.map((r) => r.code));
    expect(byRole('auditor').map((a) => a.username)).toEqual(['auditor']);
    expect(byRole('high')).toHaveLength(city.highSchools.length);
    expect(byRole('junior')).toHaveLength(city.juniorSchools.length);
    expect(byRole('student')).toHaveLength(city.students.length);
    expect(accounts.find((a) => a.username === 'h01')).toMatchObject({ role: 'high', highSchoolId: 'H01', displayName: '株洲市第一中学' });
    expect(accounts.find((a) => a.username === 'j0101')).toMatchObject({ role: 'junior', juniorSchoolId: 'J0101', regionCode: 'HT' });
    const first = city.students[0];
    expect(accounts.find((a) => a.username === first.examNo)).toEqual({
      username: first.examNo,
      role: 'student',
      displayName: first.name,
      studentId: first.examNo,
      juniorSchoolId: first.juniorSchoolId,
      regionCode: first.regionCode,
    });
    expect(failures(accounts, (a) => (a.displayName.length > 0 ? undefined : a.username))).toEqual([]);
  });

  it('can leave out the student accounts without changing anything else', () => {
    const full = generateCity({ seed: 'accounts', students: 2000 });
    const lean = generateCity({ seed: 'accounts', students: 2000, studentAccounts: false });
    expect(lean.accounts).toEqual(full.accounts.filter((a) => a.role !== 'student'));
    expect(JSON.stringify({ ...lean, accounts: [] })).toBe(JSON.stringify({ ...full, accounts: [] }));
  });
});

describe('converters to the engine inputs', () => {
  it('toQuotaInstance gives every junior school and the quality schools (§1)', () => {
    const instance = toQuotaInstance(city);
    expect(instance.format).toBe(QUOTA_INSTANCE_FORMAT);
    expect(instance.format).toBe('zz-admissions/quota-instance@1');
    expect(instance.juniorSchools).toHaveLength(city.juniorSchools.length);
    expect(instance.juniorSchools[0]).toEqual({
      id: city.juniorSchools[0].id,
      region: city.juniorSchools[0].regionCode,
      graduates: city.juniorSchools[0].graduates,
      weightPercent: city.juniorSchools[0].weightPercent,
    });
    expect(instance.highSchools.map((h) => h.id)).toEqual(city.highSchools.filter((h) => h.quality).map((h) => h.id));
    for (const h of instance.highSchools) {
      expect(Number.isInteger(h.quotaPercent)).toBe(true);
      expect(h.capacity).toBe(schoolById.get(h.id)!.capacity);
      expect(['city', 'region']).toContain(h.scope);
    }
    expect(JSON.parse(JSON.stringify(instance))).toEqual(instance);
  });

  it('toAllocationInstance gives the schools with their quota seats and the students (§2)', () => {
    // A stand-in for the quota result: one seat at each quality school for the first junior school of its scope.
    const quota: Record<string, Record<string, number>> = {};
    for (const h of city.highSchools.filter((s) => s.quality)) {
      const junior = city.juniorSchools.find((j) => h.scope === 'city' || j.regionCode === h.regionCode)!;
      quota[h.id] = { [junior.id]: 1 };
    }
    const instance = toAllocationInstance(city, { seed: 'round-1', quota });
    expect(instance.format).toBe(ALLOCATION_INSTANCE_FORMAT);
    expect(instance.format).toBe('zz-admissions/allocation-instance@1');
    expect(instance.seed).toBe('round-1');
    expect(instance.policy).toEqual(DEFAULT_DEMO_POLICY);
    expect(instance.highSchools).toHaveLength(city.highSchools.length);
    for (const h of instance.highSchools) {
      const source = schoolById.get(h.id)!;
      expect(h).toMatchObject({ region: source.regionCode, batch: source.batch, scope: source.scope, capacity: source.capacity });
      expect(h.quota).toEqual(quota[h.id]);
      expect(h.minScore).toBe(source.minScore);
      expect('lastYearCutoff' in h).toBe(false);
    }
    expect(instance.students).toHaveLength(city.students.length);
    const s = city.students[123];
    expect(instance.students[123]).toEqual({
      id: s.examNo,
      junior: s.juniorSchoolId,
      region: s.regionCode,
      total: s.total,
      scores: s.scores,
      evaluation: s.evaluation,
      quotaEligible: s.quotaEligible,
      choices: s.choices,
    });
    const json = JSON.parse(JSON.stringify(instance)) as typeof instance;
    expect(Object.keys(json.students[0].choices)).toEqual(['1', '2', '3']);

    const keep = toAllocationInstance(city, { seed: 's', quota: {}, policy: { quotaPrecedence: 'quotaFirst', unusedQuota: 'keep' } });
    expect(keep.policy).toEqual({ quotaPrecedence: 'quotaFirst', unusedQuota: 'keep' });
    expect(keep.highSchools.every((h) => h.quota === undefined)).toBe(true);
  });
});

describe('generateCity at other sizes', () => {
  it('scales schools with students and keeps ids unique, of one width and sortable', () => {
    const big: DemoCity = generateCity({ seed: 'scale', students: 120_000 });
    expect(big.juniorSchools.length).toBeGreaterThan(500);
    expect(big.highSchools.length).toBeGreaterThan(95);
    for (const list of [big.juniorSchools.map((j) => j.id), big.highSchools.map((h) => h.id), big.students.map((s) => s.examNo)]) {
      expect(isSortedAndUnique(list)).toBe(true);
      expect(new Set(list.map((id) => id.length)).size).toBe(1);
    }
    expect(big.juniorSchools[0].id).toBe('J01001');
    expect(big.highSchools[0].id).toBe('H001');
    expect(big.students[0].examNo).toBe('2026430201000001');
    expect(new Set(big.juniorSchools.map((j) => j.name)).size).toBe(big.juniorSchools.length);
    expect(new Set(big.highSchools.map((h) => h.name)).size).toBe(big.highSchools.length);
    expect(new Set(big.students.map((s) => s.idCardNo)).size).toBe(big.students.length);
    const seats = big.highSchools.reduce((a, h) => a + h.capacity, 0) / big.students.length;
    expect(seats).toBeGreaterThan(0.6);
    expect(seats).toBeLessThan(0.75);
    const highIds = new Set(big.highSchools.map((h) => h.id));
    expect(
      failures(big.students, (s) => {
        const all = [...s.choices['1'], ...s.choices['2'], ...s.choices['3']];
        return all.every((id) => highIds.has(id)) && new Set(all).size === all.length ? undefined : `${s.examNo}: ${all}`;
      }),
    ).toEqual([]);
  });

  it('makes a small city with every region still served', () => {
    const small = generateCity({ seed: 'small', students: 500, year: 2027 });
    expect(small.students).toHaveLength(500);
    expect(small.students[0].examNo).toBe('202743020100001');
    expect(small.juniorSchools.length).toBeGreaterThanOrEqual(9);
    for (const r of small.regions) expect(small.highSchools.some((h) => h.regionCode === r.code)).toBe(true);
    expect(small.students.every((s) => s.enrolledSince >= '2024-09-01')).toBe(true);
  });

  it('makes a province (Hunan\'s fourteen cities\' regions) with the same rules, seats about as the city', () => {
    const province = generateCity({ seed: 'province', students: 30_000, province: true, studentAccounts: false });
    expect(province.city.name).toBe('湖南省');
    expect(province.regions.length).toBeGreaterThan(100);
    expect(new Set(province.regions.map((r) => r.code)).size).toBe(province.regions.length);
    expect(new Set(province.regions.map((r) => r.adminCode)).size).toBe(province.regions.length);
    for (const r of province.regions) expect(r.adminCode).toMatch(/^43\d{4}$/);
    // Zhuzhou's own nine regions are among them, as in the demo city.
    expect(province.regions.filter((r) => r.adminCode.startsWith('4302')).map((r) => r.code)).toEqual(['HT', 'LS', 'SF', 'TY', 'LK', 'LL', 'YX', 'CL', 'YL']);
    for (const r of province.regions) expect(province.highSchools.some((h) => h.regionCode === r.code)).toBe(true);
    expect(new Set(province.juniorSchools.map((j) => j.id.length)).size).toBe(1);
    expect(new Set(province.highSchools.map((h) => h.id.length)).size).toBe(1);
    expect(new Set(province.highSchools.map((h) => h.name)).size).toBe(province.highSchools.length);
    expect(new Set(province.students.map((s) => s.idCardNo)).size).toBe(province.students.length);
    expect(province.accounts.some((a) => a.role === 'student')).toBe(false);
    const seats = province.highSchools.reduce((a, h) => a + h.capacity, 0) / province.students.length;
    expect(seats).toBeGreaterThan(0.6);
    expect(seats).toBeLessThan(0.8);
    // Region scope holds (属地招生), and families list schools of their own city only.
    const cityOf = (regionCode: string) => province.regions.find((r) => r.code === regionCode)!.adminCode.slice(0, 4);
    const high = new Map(province.highSchools.map((h) => [h.id, h]));
    expect(
      failures(province.students, (s) => {
        const all = [...s.choices['1'], ...s.choices['2'], ...s.choices['3']];
        const bad = all.filter((id) => {
          const h = high.get(id)!;
          return (h.scope === 'region' && h.regionCode !== s.regionCode) || cityOf(h.regionCode) !== cityOf(s.regionCode);
        });
        return bad.length === 0 ? undefined : `${s.examNo}: ${bad}`;
      }),
    ).toEqual([]);
  });

  it('writes Chinese numerals as school names do', () => {
    expect([1, 10, 11, 20, 23, 100, 101, 110, 1001, 1010, 1100].map(chineseNumber)).toEqual([
      '一', '十', '十一', '二十', '二十三', '一百', '一百零一', '一百一十', '一千零一', '一千零一十', '一千一百',
    ]);
  });
});
