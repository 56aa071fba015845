import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocate } from './engine';
import { checkAllocation } from './invariants';
import { lotteryNumber } from './priority';
import { mustFields } from './testing/arbitrary';
import type { AllocationInstance, HighSchoolInput, StudentInput } from './types';

const SHA_ZHUZHOU = '663deb2a0a31a7c661792ffd7da27a985b1bf987cd43640ada18a4add297a90d';
const FIXTURES = join(__dirname, '../../../test/fixtures/allocation');

function school(over: Partial<HighSchoolInput> & { id: string }): HighSchoolInput {
  return { region: 'HT', batch: 1, scope: 'city', capacity: 1, ...over };
}
function student(over: Partial<StudentInput> & { id: string }): StudentInput {
  return { junior: 'J1', region: 'HT', total: 600, evaluation: 'A', quotaEligible: true, choices: { '1': ['H1'] }, ...over };
}
function instance(highSchools: HighSchoolInput[], students: StudentInput[], policy = {}): AllocationInstance {
  return { format: 'zz-admissions/allocation-instance@1', seed: 'test', policy, highSchools, students };
}
function seats(inst: AllocationInstance) {
  const r = allocate(inst);
  expect(checkAllocation(inst, r).violations).toEqual([]);
  return Object.fromEntries(Object.entries(r.assignments).map(([id, a]) => [id, `${a.school}/${a.seat}`]));
}

describe('worked examples of ALLOCATION.md', () => {
  const names = readdirSync(FIXTURES).filter((f) => f.endsWith('.instance.json') && !f.startsWith('quota'));
  it.each(names)('%s gives the published result', (name) => {
    const inst = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
    const expected = JSON.parse(readFileSync(join(FIXTURES, name.replace('.instance.', '.result.')), 'utf8'));
    const result = allocate(inst);
    expect(mustFields(result)).toEqual(mustFields(expected));
    expect(checkAllocation(inst, result).ok).toBe(true);
  });
});

describe('school choice (§2.3)', () => {
  const abc = [
    student({ id: 'a', junior: 'J1', total: 700 }),
    student({ id: 'b', junior: 'J2', total: 690 }),
    student({ id: 'c', junior: 'J1', total: 680 }),
  ];
  const h1 = school({ id: 'H1', capacity: 2, quota: { J1: 1 } });

  it('openFirst lets a strong student of J1 take an open seat and passes J1\'s quota seat on', () => {
    expect(seats(instance([h1], abc, { quotaPrecedence: 'openFirst' }))).toEqual({ a: 'H1/open', c: 'H1/quota' });
  });

  it('quotaFirst spends the quota seat on the strong student', () => {
    expect(seats(instance([h1], abc, { quotaPrecedence: 'quotaFirst' }))).toEqual({ a: 'H1/quota', b: 'H1/open' });
  });

  it('reverts an unused quota seat to the next open-eligible student, or keeps it empty', () => {
    const inst = (unusedQuota: string) =>
      instance([school({ id: 'H1', capacity: 2, quota: { J9: 1 } })], abc, { unusedQuota });
    expect(seats(inst('revert'))).toEqual({ a: 'H1/open', b: 'H1/reverted' });
    expect(seats(inst('keep'))).toEqual({ a: 'H1/open' });
  });

  it('a quota seat taken by a later, lower student bumps a reverted holder (who then goes on down the list)', () => {
    const inst = instance(
      [school({ id: 'H1', capacity: 2, quota: { J1: 1 } }), school({ id: 'H2', capacity: 1 })],
      [
        student({ id: 'a', junior: 'J2', total: 700 }),
        student({ id: 'b', junior: 'J2', total: 690, choices: { '1': ['H1', 'H2'] } }),
        student({ id: 'c', junior: 'J1', total: 680 }),
      ],
    );
    expect(seats(inst)).toEqual({ a: 'H1/open', c: 'H1/quota', b: 'H2/open' });
  });

  it('uses quota minimums, falling back to the open minimums', () => {
    const h = school({ id: 'H1', capacity: 2, quota: { J1: 1 }, minScore: 650, quotaMinScore: 600, minEvaluation: 'B' });
    const inst = instance([h], [
      student({ id: 'hi', total: 700, junior: 'J2' }),
      student({ id: 'q', total: 610, evaluation: 'B' }),
      student({ id: 'lowgrade', total: 640, evaluation: 'C' }),
    ]);
    expect(seats(inst)).toEqual({ hi: 'H1/open', q: 'H1/quota' });
  });

  it('region-scope schools take only their own region, for open and quota seats alike', () => {
    const h = school({ id: 'H1', capacity: 2, scope: 'region', region: 'LL', quota: { J1: 1 } });
    const inst = instance([h], [student({ id: 'far', region: 'HT', total: 700 }), student({ id: 'near', region: 'LL', total: 500, junior: 'J1' })]);
    expect(seats(inst)).toEqual({ near: 'H1/open' });
  });

  it('a student not quota-eligible (学籍) never holds a quota seat', () => {
    const h = school({ id: 'H1', capacity: 1, quota: { J1: 1 } });
    const inst = instance([h], [student({ id: 'x', quotaEligible: false })], { unusedQuota: 'keep' });
    expect(seats(inst)).toEqual({});
  });
});

describe('priority (§2.1)', () => {
  const h = school({ id: 'H1', capacity: 1 });
  it('breaks equal totals by the tie-break keys in order, a missing score lowest', () => {
    const inst = (tieBreak: string[]) =>
      instance([h], [
        student({ id: 'a', scores: { math: 100, chinese: 90 } }),
        student({ id: 'b', scores: { math: 100, chinese: 95 } }),
        student({ id: 'c', scores: { chinese: 120 } }),
      ], { tieBreak });
    expect(seats(inst(['math', 'chinese']))).toEqual({ b: 'H1/open' });
    expect(seats(inst(['chinese+math']))).toEqual({ b: 'H1/open' }); // c's sum is missing
    expect(seats(inst(['chinese']))).toEqual({ c: 'H1/open' });
  });

  it('compares evaluation grades A > D', () => {
    const inst = instance([h], [student({ id: 'd', evaluation: 'D' }), student({ id: 'b', evaluation: 'B' })], { tieBreak: ['evaluation'] });
    expect(seats(inst)).toEqual({ b: 'H1/open' });
  });

  it('settles full ties by sha256(seed:id), smaller first', () => {
    const ids = ['s1', 's2', 's3', 's4'];
    const winner = [...ids].sort((x, y) => (lotteryNumber('test', x) < lotteryNumber('test', y) ? -1 : 1))[0];
    const r = allocate(instance([h], ids.map((id) => student({ id }))));
    expect(Object.keys(r.assignments)).toEqual([winner]);
    expect(r.unassigned).toEqual(ids.filter((i) => i !== winner).sort((x, y) => (lotteryNumber('test', x) < lotteryNumber('test', y) ? -1 : 1)));
  });

  it('computes the lottery as lowercase hex sha256 of seed:id in UTF-8', () => {
    // Both values computed independently with coreutils sha256sum.
    expect(lotteryNumber('a', 'b')).toBe('6783a31eabf68ccc0660f935c0826282bdd2241f3a80a9f2d10d59aea9ebb5d8');
    expect(lotteryNumber('株洲', '1')).toBe(SHA_ZHUZHOU);
  });
});

describe('batches (§2.4)', () => {
  it('a student placed in batch 1 takes no part in batch 2', () => {
    const inst = instance(
      [school({ id: 'A', batch: 1 }), school({ id: 'B', batch: 2 })],
      [
        student({ id: 'top', total: 700, choices: { '1': ['A'], '2': ['B'] } }),
        student({ id: 'next', total: 600, choices: { '1': ['A'], '2': ['B'] } }),
      ],
    );
    const r = allocate(inst);
    expect(r.assignments).toEqual({ top: { school: 'A', seat: 'open', batch: 1 }, next: { school: 'B', seat: 'open', batch: 2 } });
  });
});

describe('result fields (§2.5) and explanations', () => {
  it('lists every school, lastAdmitted absent when empty, unassigned in priority order', () => {
    const inst = instance([school({ id: 'H1', capacity: 1 }), school({ id: 'H2', capacity: 3 })], [
      student({ id: 'a', total: 600 }),
      student({ id: 'b', total: 650 }),
      student({ id: 'c', total: 700 }),
    ]);
    const r = allocate(inst);
    expect(r.schools.H1).toMatchObject({ capacity: 1, admitted: 1, open: 1, quota: 0, reverted: 0, lastAdmitted: 'c' });
    expect(r.schools.H2).toMatchObject({ capacity: 3, admitted: 0 });
    expect('lastAdmitted' in r.schools.H2).toBe(false);
    expect(r.unassigned).toEqual(['b', 'a']);
  });

  it('explains each school above the result: rules failed or seats full, with cutoffs', () => {
    const inst = instance(
      [
        school({ id: 'TOP', capacity: 1, minEvaluation: 'A' }),
        school({ id: 'LL', capacity: 5, scope: 'region', region: 'LL' }),
        school({ id: 'Q', capacity: 1, quota: { J7: 1 } }),
        school({ id: 'OK', capacity: 5 }),
      ],
      [
        student({ id: 'star', total: 700, choices: { '1': ['TOP'] } }),
        student({ id: 'me', total: 650, evaluation: 'A', choices: { '1': ['TOP', 'LL', 'Q', 'OK'] } }),
      ],
      { unusedQuota: 'keep' },
    );
    const r = allocate(inst);
    expect(r.assignments.me.school).toBe('OK');
    expect(r.explanations?.me).toEqual([
      { school: 'TOP', batch: 1, reasons: ['openFull'] },
      { school: 'LL', batch: 1, reasons: ['outOfRegion'] },
      { school: 'Q', batch: 1, reasons: ['noOpenSeats', 'noQuotaForJunior'] },
    ]);
    expect(r.schools.TOP.cutoffs?.open).toMatchObject({ student: 'star', total: 700, rank: 1 });
  });
});

describe('input validation names the record and the rule', () => {
  const base = () => instance([school({ id: 'H1' }), school({ id: 'H2', batch: 2 })], [student({ id: 's1' })]);
  const cases: [string, (i: AllocationInstance) => void, RegExp][] = [
    ['unknown school', (i) => (i.students[0].choices = { '1': ['NOPE'] }), /students\[0\] \(id "s1"\)\.choices\["1"\]\[0\]: unknown high school "NOPE"/],
    ['school of another batch', (i) => (i.students[0].choices = { '1': ['H2'] }), /in batch 2, not batch 1/],
    ['school listed twice', (i) => (i.students[0].choices = { '1': ['H1', 'H1'] }), /listed twice/],
    ['batch written "01"', (i) => (i.students[0].choices = { '01': ['H1'] }), /positive integers written plainly/],
    ['quota above capacity', (i) => (i.highSchools[0].quota = { J1: 2 }), /highSchools\[0\] \(id "H1"\)\.quota: quota seats \(2\) exceed capacity \(1\)/],
    ['unknown grade', (i) => ((i.students[0] as unknown as { evaluation: string }).evaluation = 'E'), /unknown evaluation grade "E"/],
    ['duplicate student id', (i) => i.students.push(student({ id: 's1' })), /duplicate student id "s1"/],
    ['duplicate school id', (i) => i.highSchools.push(school({ id: 'H1' })), /duplicate high school id "H1"/],
    ['non-integer capacity', (i) => (i.highSchools[0].capacity = 1.5), /capacity: must be an integer >= 0/],
    ['missing total', (i) => delete (i.students[0] as Partial<StudentInput>).total, /students\[0\] \(id "s1"\)\.total: is required/],
    ['missing seed', (i) => delete (i as Partial<AllocationInstance>).seed, /seed: is required/],
    ['bad policy', (i) => (i.policy = { quotaPrecedence: 'first' as never }), /policy\.quotaPrecedence/],
    ['wrong format', (i) => ((i as { format: string }).format = 'x'), /format: must be/],
  ];
  it.each(cases)('%s', (_name, mutate, message) => {
    const inst = base();
    mutate(inst);
    expect(() => allocate(inst)).toThrow(message);
  });

  it('treats optional fields given as null as absent', () => {
    const inst = base();
    Object.assign(inst.highSchools[0], { minScore: null, quota: null, quotaMinEvaluation: null, ownership: null });
    inst.policy = { quotaPrecedence: null, unusedQuota: null, tieBreak: null };
    expect(Object.keys(allocate(inst).assignments)).toEqual(['s1']);
  });
});
