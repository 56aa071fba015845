import { describe, expect, it } from 'vitest';
import { detectKindergartenFlags, kindergartenFeeAccountFlags, kindergartenNameFlags, kindergartenSafetyFlags, kindergartenStaffingFlags, requiredStaff } from './rules';
import type { KindergartenFacts, RegistryFacts, StaffMember } from './types';

const staff = (teachers: number, carers: number, teacherQualification = '幼儿园教师资格证'): StaffMember[] => [
  ...Array.from({ length: teachers }, (_, i) => ({ role: 'teacher' as const, name: `教师${i + 1}`, qualification: teacherQualification })),
  ...Array.from({ length: carers }, (_, i) => ({ role: 'carer' as const, name: `保育员${i + 1}`, qualification: '保育员证' })),
];

/** A kindergarten that breaks no rule: 2 classes, 4 teachers, 2 carers, qualified, safe, a filed account. */
function clean(overrides: Partial<KindergartenFacts> = {}): KindergartenFacts {
  return {
    id: 'K1',
    name: '月塘阳光幼儿园',
    regionCode: 'HT',
    regionName: '荷塘区',
    nature: 'puhui_private',
    classes: 2,
    children: 50,
    headName: '王芳',
    headQualification: '园长任职资格培训合格证',
    staff: staff(4, 2),
    feeAccount: '6217000011112222',
    dangerousBuilding: false,
    civilDefence: true,
    physicalDefence: true,
    technicalDefence: true,
    rectifyBy: null,
    ...overrides,
  };
}

function facts(...kindergartens: KindergartenFacts[]): RegistryFacts {
  return { asOf: '2026-12-05', kindergartens, publicSchools: [{ name: '荷塘区实验幼儿园', regionCode: 'HT' }, { name: '株洲市第二中学', regionCode: 'HT' }], placeNames: ['株洲市', '荷塘区'] };
}

describe('the kindergarten rules', () => {
  it('fire nothing on a clean kindergarten', () => {
    expect(detectKindergartenFlags('c1', facts(clean()))).toEqual([]);
  });

  it('kindergarten_name fires on a forbidden word and names it', () => {
    const [flag] = kindergartenNameFlags('c1', facts(clean({ name: '荷塘区国际幼儿园' })));
    expect(flag).toMatchObject({ rule: 'kindergarten_name', severity: 'medium', regionCodes: ['HT'], dedupeKey: 'c1:kindergarten_name:K1' });
    expect(flag.evidence).toMatchObject({ kindergartenName: '荷塘区国际幼儿园', regionName: '荷塘区', words: ['国际'] });
  });

  it('kindergarten_name fires when a private kindergarten uses a public school name, not when a public one does', () => {
    expect(kindergartenNameFlags('c1', facts(clean({ name: '荷塘区实验幼儿园东方分园' })))[0].severity).toBe('high');
    expect(kindergartenNameFlags('c1', facts(clean({ name: '株洲二中附属阳光幼儿园' })))).toHaveLength(1);
    expect(kindergartenNameFlags('c1', facts(clean({ name: '荷塘区实验幼儿园东方分园', nature: 'public' })))).toEqual([]);
  });

  it('kindergarten_staffing fires when short of two teachers and one carer per class', () => {
    expect(requiredStaff(3)).toEqual({ teachers: 6, carers: 3 });
    const [flag] = kindergartenStaffingFlags('c1', facts(clean({ classes: 3 })));
    expect(flag.evidence).toMatchObject({ teachers: 4, carers: 2, requiredTeachers: 6, requiredCarers: 3 });
    expect(flag.evidence.items).toEqual(['缺专任教师 2 名（3 个班应有 6 名，现有 4 名）', '缺保育员 1 名（3 个班应有 3 名，现有 2 名）']);
    expect(kindergartenStaffingFlags('c1', facts(clean({ classes: 2 })))).toEqual([]);
  });

  it('kindergarten_safety fires on a dangerous building, 三防 and unqualified staff, with a deadline', () => {
    const [building] = kindergartenSafetyFlags('c1', facts(clean({ dangerousBuilding: true })));
    expect(building).toMatchObject({ severity: 'critical', evidence: { items: ['存在危房'], deadline: '2027-01-04' } });
    const [defence] = kindergartenSafetyFlags('c1', facts(clean({ physicalDefence: false, rectifyBy: '2027-02-01' })));
    expect(defence).toMatchObject({ severity: 'high', evidence: { items: ['物防不达标'], deadline: '2027-02-01' } });
    const [people] = kindergartenSafetyFlags('c1', facts(clean({ headQualification: '无', staff: [...staff(3, 2), { role: 'teacher', name: '赵甲', qualification: '小学教师资格证' }] })));
    expect(people).toMatchObject({ severity: 'medium', evidence: { headQualified: false, unqualifiedTeachers: ['赵甲'], deadline: '2027-03-05' } });
    expect(people.evidence.items).toEqual(['园长王芳无园长任职资格（现为：无）', '1 名专任教师无幼儿园教师资格：赵甲']);
  });

  it('kindergarten_fee_account fires on a private kindergarten without an account, never on a public one', () => {
    expect(kindergartenFeeAccountFlags('c1', facts(clean({ feeAccount: null })))).toHaveLength(1);
    expect(kindergartenFeeAccountFlags('c1', facts(clean({ nature: 'private', feeAccount: '  ' })))).toHaveLength(1);
    expect(kindergartenFeeAccountFlags('c1', facts(clean({ nature: 'public', feeAccount: null })))).toEqual([]);
  });
});
