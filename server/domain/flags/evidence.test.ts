import { describe, expect, it } from 'vitest';
import { beijingTime, emptyEvidenceNames, evidenceRefs, formatEvidence, humanizeKey, type EvidenceFact, type EvidenceNames } from './evidence';

const names: EvidenceNames = {
  ...emptyEvidenceNames(),
  highSchools: new Map([
    ['H01', '株洲市第一中学'],
    ['H02', '株洲市第二中学'],
  ]),
  juniorSchools: new Map([
    ['J0101', '荷塘区第一初中'],
    ['J0201', '芦淞区第一初中'],
  ]),
  regions: new Map([
    ['HT', { zh: '荷塘区', en: 'Hetang' }],
    ['LS', { zh: '芦淞区', en: 'Lusong' }],
  ]),
  students: new Map([
    ['s1', { name: '张三', examNo: '2026000001' }],
    ['2026000001', { name: '张三', examNo: '2026000001' }],
  ]),
  rounds: new Map([['r1', { kind: 'main', name: null, publishedAt: new Date('2026-07-10T02:00:00Z') }]]),
};

const fact = (facts: EvidenceFact[], key: string) => facts.find((f) => f.key === key);
const allText = (facts: EvidenceFact[]) => facts.map((f) => `${f.label.zh} ${f.value.zh} ${f.label.en} ${f.value.en}`).join('\n');

describe('formatEvidence', () => {
  it('enrolled without admission: the student, schools, regions and round by name; no codes or registration ids', () => {
    const facts = formatEvidence(
      {
        rule: 'enrolled_without_admission',
        studentIds: ['s1'],
        evidence: {
          registeredAt: 'H01',
          registeredSchoolRegion: 'HT',
          studentRegion: 'LS',
          examNo: '2026000001',
          admittedAt: 'H02',
          admittedSchoolRegion: 'LS',
          admittedRoundId: 'r1',
          accepted: true,
          registrations: [{ registrationId: 'reg-123', examNo: '2026000001', registeredAt: '2026-09-01T01:30:00.000Z', accepted: true, rejectionReason: null }],
          regionCodes: ['HT', 'LS'],
        },
      },
      names,
    );
    expect(facts[0]).toMatchObject({ key: 'student', label: { zh: '学生' }, value: { zh: '张三（准考证号 2026000001）' } });
    expect(fact(facts, 'registeredAt')?.value).toEqual({ zh: '株洲市第一中学（H01）', en: '株洲市第一中学 (H01)' });
    expect(fact(facts, 'admittedAt')?.value.zh).toBe('株洲市第二中学（H02）');
    expect(fact(facts, 'studentRegion')?.value).toEqual({ zh: '芦淞区', en: 'Lusong' });
    expect(fact(facts, 'admittedRoundId')?.value).toEqual({ zh: '第一轮录取（2026-07-10 公布）', en: 'Round 1 (published 2026-07-10)' });
    expect(fact(facts, 'registrations')?.value.zh).toBe('2026-09-01 09:30 已注册');
    expect(fact(facts, 'regionCodes')?.value).toEqual({ zh: '荷塘区、芦淞区', en: 'Hetang, Lusong' });
    expect(facts.map((f) => f.key)).not.toContain('examNo');
    expect(allText(facts)).not.toContain('reg-123');
    expect(allText(facts)).not.toMatch(/admittedAt|registeredAt/);
  });

  it('an exam number matching nobody says so', () => {
    const facts = formatEvidence({ rule: 'enrolled_without_admission', studentIds: [], evidence: { registeredAt: 'H01', examNo: '999', unknownStudent: true, registrations: [] } }, names);
    expect(fact(facts, 'student')?.value.zh).toBe('准考证号 999（查无此考生）');
  });

  it('out of scope: the scope in words', () => {
    const facts = formatEvidence(
      { rule: 'out_of_scope_enrollment', studentIds: ['s1'], evidence: { registeredAt: 'H01', schoolScope: 'region', schoolRegion: 'HT', studentRegion: 'LS', examNo: '2026000001', accepted: false, registrations: [] } },
      names,
    );
    expect(fact(facts, 'schoolScope')?.value.zh).toBe('限本区县（属地招生）');
    expect(fact(facts, 'accepted')?.value.en).toBe('The school tried; the platform refused');
  });

  it('a refused registration gives the reason in words, not its code', () => {
    const facts = formatEvidence(
      {
        rule: 'enrolled_without_admission',
        studentIds: ['s1'],
        evidence: { registeredAt: 'H01', examNo: '2026000001', accepted: false, registrations: [{ registeredAt: '2026-09-01T01:30:00Z', accepted: false, rejectionReason: 'not_admitted' }] },
      },
      names,
    );
    expect(fact(facts, 'registrations')?.value).toEqual({ zh: '2026-09-01 09:30 注册被拒绝（该生未被任何学校录取，不能注册）', en: '2026-09-01 09:30 refused (the student was not admitted by any school)' });
    expect(allText(facts)).not.toContain('not_admitted');
  });

  it('top-student outflow: the region, the share in percent and each student by name and school', () => {
    const facts = formatEvidence(
      {
        rule: 'top_student_outflow',
        studentIds: ['s1'],
        evidence: {
          region: 'LS',
          topShare: 0.05,
          topStudents: 20,
          thresholdScore: 700,
          publishedOutflow: 0,
          registeredOutflow: 1,
          excess: 1,
          students: [{ studentId: 's1', examNo: '2026000001', total: 712, registeredAt: 'H01', publishedAt: null }],
        },
      },
      names,
    );
    expect(facts[0]).toMatchObject({ key: 'region', value: { zh: '芦淞区' } });
    expect(fact(facts, 'topShare')?.value.zh).toBe('各区县总分前 5%');
    expect(fact(facts, 'students')?.value.zh).toBe('张三（准考证号 2026000001），总分 712，注册于 株洲市第一中学（H01），未被录取');
  });

  it('quota eligibility shopping: junior schools by name, dates and yes/no', () => {
    const facts = formatEvidence(
      {
        rule: 'quota_eligibility_shopping',
        studentIds: ['s1'],
        evidence: {
          examNo: '2026000001',
          cutoffDate: '2025-09-01',
          movedOn: '2026-03-01',
          fromJuniorSchool: 'J0201',
          fromQuotaSeats: 2,
          toJuniorSchool: 'J0101',
          toQuotaSeats: 9,
          quotaEligible: true,
          quotaSeatUsed: false,
          admittedAt: null,
        },
      },
      names,
    );
    expect(fact(facts, 'fromJuniorSchool')?.value.zh).toBe('芦淞区第一初中（J0201）');
    expect(fact(facts, 'quotaSeatUsed')?.value).toEqual({ zh: '否', en: 'No' });
    expect(fact(facts, 'admittedAt')?.value.zh).toBe('未被录取');
    expect(fact(facts, 'movedOn')?.value.zh).toBe('2026-03-01');
  });

  it('early offer: the reports as dated lines, complaint ids left out', () => {
    const facts = formatEvidence(
      {
        rule: 'early_offer',
        highSchoolIds: ['H01'],
        evidence: { schoolName: '某中学', reports: 1, complaints: [{ complaintId: 'c1', schoolName: '某中学', studentName: null, description: '提前签约', createdAt: '2026-05-01T00:00:00.000Z' }] },
      },
      names,
    );
    expect(facts[0]).toMatchObject({ key: 'school', label: { zh: '被举报学校' }, value: { zh: '株洲市第一中学（H01）' } });
    expect(fact(facts, 'complaints')?.value.zh).toBe('2026-05-01 08:00 提前签约');
    expect(allText(facts)).not.toContain('c1');
  });

  it('no-show then elsewhere: confirmation in words', () => {
    const facts = formatEvidence(
      { rule: 'no_show_elsewhere', studentIds: ['s1'], evidence: { examNo: '2026000001', admittedAt: 'H02', admittedRoundId: 'r1', confirmation: 'declined', registeredAt: 'H01', accepted: true, registrations: [] } },
      names,
    );
    expect(facts.map((f) => f.key)).toEqual(['student', 'admittedAt', 'admittedRoundId', 'confirmation', 'registeredAt', 'accepted', 'registrations']);
    expect(fact(facts, 'confirmation')?.value.zh).toBe('已放弃录取');
  });

  it('an unknown rule: keys labelled or humanized, names shown, ids resolved by their key', () => {
    const facts = formatEvidence(
      {
        rule: 'kindergarten_name',
        evidence: {
          kindergartenId: 'K0001',
          kindergartenName: '中华国际幼儿园',
          regionCode: 'HT',
          words: ['中华', '国际'],
          staffShortfall: { name: '小一班', teachers: 1, carers: 0 },
          filedAt: '2026-04-01T02:00:00.000Z',
        },
      },
      names,
    );
    expect(fact(facts, 'kindergartenName')).toMatchObject({ label: { zh: '幼儿园名称' }, value: { zh: '中华国际幼儿园' } });
    expect(fact(facts, 'regionCode')?.value).toEqual({ zh: '荷塘区', en: 'Hetang' });
    expect(fact(facts, 'words')?.value).toEqual({ zh: '中华、国际', en: '中华, 国际' });
    expect(fact(facts, 'staffShortfall')).toMatchObject({ label: { en: 'Staff shortfall' }, value: { zh: '名称：小一班，教师人数：1，保育员人数：0' } });
    expect(fact(facts, 'filedAt')?.value.zh).toBe('2026-04-01 10:00');
  });

  it('a missing or odd evidence never throws', () => {
    expect(formatEvidence({ rule: 'x', evidence: null }, names)).toEqual([]);
    expect(formatEvidence({ rule: 'x', evidence: { a: [1, null, { b: true }] } }, names)[0].value.zh).toBe('1\n—\nB：是');
  });
});

describe('evidenceRefs', () => {
  it('collects ids by what their key says, nested too', () => {
    const refs = evidenceRefs([
      {
        evidence: { registeredAt: 'H01', studentRegion: 'LS', admittedRoundId: 'r1', toJuniorSchool: 'J0101', students: [{ studentId: 's2', registeredAt: 'H03' }], regionCodes: ['HT'] },
        highSchoolIds: ['H02'],
        studentIds: ['s1'],
      },
    ]);
    expect([...refs.highSchools].sort()).toEqual(['H01', 'H02', 'H03']);
    expect([...refs.regions].sort()).toEqual(['HT', 'LS']);
    expect([...refs.students].sort()).toEqual(['s1', 's2']);
    expect([...refs.rounds]).toEqual(['r1']);
    expect([...refs.juniorSchools]).toEqual(['J0101']);
  });
});

describe('helpers', () => {
  it('humanizes keys and shows Beijing time', () => {
    expect(humanizeKey('missingItems')).toBe('Missing items');
    expect(humanizeKey('fee_account')).toBe('Fee account');
    expect(beijingTime('2026-06-30T16:30:00.000Z')).toBe('2026-07-01 00:30');
  });
});
