import { describe, expect, it } from 'vitest';
import type { KindergartenOwnRecord } from '../api/kindergartens';
import {
  PAGE_SIZE,
  apiQueryFromFilters,
  changesFrom,
  currentFromPublic,
  draftFrom,
  draftProblems,
  filingDiff,
  filtersFromQuery,
  goalStatus,
  percent,
  queryFromFilters,
  staffingShortfall,
  thingsToFix,
  yuan,
} from './kindergartens';

const record: KindergartenOwnRecord = {
  id: 'K0001',
  name: '荷塘区阳光幼儿园',
  regionCode: 'HT',
  regionName: '荷塘区',
  nature: 'puhui_private',
  grade: 'class2',
  gradeName: '二级园',
  address: '荷塘区新华路 1 号',
  classes: 3,
  children: 75,
  feeMonthlyMin: 800,
  updatedAt: '2026-09-01T02:00:00Z',
  openedOn: '2015-09-01',
  licenceNumber: '教民 1402001',
  headName: '王芳',
  headQualification: '园长任职资格证',
  teacherCount: 6,
  carerCount: 3,
  fees: [{ classType: '全日制', period: 'month', amountYuan: 800 }],
  evaluations: [],
  inspections: [],
  staff: [
    { role: 'head', name: '王芳', qualification: '园长任职资格证', qualified: true },
    { role: 'teacher', name: '李敏', qualification: '幼儿园教师资格证', qualified: true },
    { role: 'carer', name: '张兰', qualification: '保育员证', qualified: true },
  ],
  feeAccount: '6222 **** **** 1234',
  version: 1,
  headQualified: true,
  safety: { dangerousBuilding: false, civilDefence: true, physicalDefence: true, technicalDefence: true, rectifyBy: null },
};

describe('filters in the address bar', () => {
  it('reads only known values and round-trips', () => {
    const filters = filtersFromQuery({ q: ' 阳光 ', region: 'HT', nature: 'public', feeMax: '1200', page: '3', grade: 'class1' });
    expect(filters).toEqual({ q: '阳光', region: 'HT', nature: 'public', grade: 'class1', feeMax: 1200, page: 3 });
    expect(filtersFromQuery(queryFromFilters(filters))).toEqual(filters);
  });
  it('drops nonsense instead of sending it', () => {
    expect(filtersFromQuery({ nature: 'church', grade: '一级', feeMax: '-5', page: 'x' })).toEqual({ q: '', region: '', nature: '', grade: '', feeMax: null, page: 1 });
    expect(queryFromFilters(filtersFromQuery({}))).toEqual({});
  });
  it('asks the API for one page', () => {
    expect(apiQueryFromFilters(filtersFromQuery({ page: '2', region: 'LL' }))).toEqual({ offset: PAGE_SIZE, limit: PAGE_SIZE, region: 'LL' });
  });
});

describe('a filing from the edited record', () => {
  it('has no changes when nothing was edited, and says so', () => {
    const draft = draftFrom(record);
    expect(changesFrom(record, draft)).toEqual({});
    expect(draftProblems(record, draft)).toEqual([{ field: 'form', key: 'nothing' }]);
  });
  it('carries only the fields that changed: a new head and fees', () => {
    const draft = draftFrom(record);
    draft.headName = ' 赵丽 ';
    draft.fees[0]!.amountYuan = 950;
    expect(changesFrom(record, draft)).toEqual({ headName: '赵丽', fees: [{ classType: '全日制', period: 'month', amountYuan: 950 }] });
    expect(draftProblems(record, draft)).toEqual([]);
  });
  it('sends teachers and carers without the head, and without the server-decided `qualified`, when staff change', () => {
    const draft = draftFrom(record);
    draft.teachers.push({ role: 'teacher', name: '周洁', qualification: '无' });
    expect(changesFrom(record, draft).staff).toEqual([
      { role: 'teacher', name: '李敏', qualification: '幼儿园教师资格证' },
      { role: 'teacher', name: '周洁', qualification: '无' },
      { role: 'carer', name: '张兰', qualification: '保育员证' },
    ]);
  });
  it('names each field at fault', () => {
    const draft = draftFrom(record);
    draft.headName = '';
    draft.carers[0]!.name = ' ';
    draft.fees[0]!.amountYuan = 12.5;
    draft.classes = null;
    draft.feeAccount = '12ab';
    expect(draftProblems(record, draft)).toEqual([
      { field: 'headName', key: 'required' },
      { field: 'carers.0.name', key: 'required' },
      { field: 'fees.0.amountYuan', key: 'amount' },
      { field: 'classes', key: 'count' },
      { field: 'feeAccount', key: 'account' },
    ]);
  });
  it('files a new fee account without spaces, and never the masked one', () => {
    const draft = draftFrom(record);
    expect(draft.feeAccount).toBe('');
    draft.feeAccount = '6222 0210 0123 4567';
    expect(changesFrom(record, draft)).toEqual({ feeAccount: '6222021001234567' });
  });
});

describe('the review diff', () => {
  it('lists the changed fields in form order beside the published values', () => {
    const current = currentFromPublic(record);
    expect(filingDiff({ fees: [], headName: '赵丽' }, current)).toEqual([
      { field: 'headName', before: '王芳', after: '赵丽' },
      { field: 'fees', before: record.fees, after: [] },
    ]);
    expect(filingDiff({ address: '新地址' }, null)).toEqual([{ field: 'address', before: undefined, after: '新地址' }]);
  });
});

describe('indicators and numbers', () => {
  it('compares a share with its goal', () => {
    expect(goalStatus(0.92, 0.92)).toBe('met');
    expect(goalStatus(0.9199, 0.92)).toBe('below');
    expect(goalStatus(null, 0.95)).toBe('none');
    expect(percent(0.5812)).toBe('58.1%');
    expect(percent(null)).toBe('—');
  });
  it('writes yuan as people do', () => {
    expect(yuan(1200)).toBe('¥1,200');
    expect(yuan(850.5)).toBe('¥850.50');
    expect(yuan(null)).toBe('—');
  });
  it('counts what 两教一保 still lacks', () => {
    expect(staffingShortfall(3, 6, 3)).toEqual({ teachers: 0, carers: 0 });
    expect(staffingShortfall(4, 5, 2)).toEqual({ teachers: 3, carers: 2 });
  });
});

describe('what the kindergarten must fix', () => {
  it('is nothing on a clean record', () => {
    expect(thingsToFix({ ...record, headQualified: true, safety: { dangerousBuilding: false, civilDefence: true, physicalDefence: true, technicalDefence: true, rectifyBy: null } })).toEqual([]);
  });
  it('lists each broken rule', () => {
    const broken = {
      ...record,
      headQualified: false,
      teacherCount: 4,
      carerCount: 2,
      feeAccount: null,
      staff: [...record.staff!, { role: 'teacher' as const, name: '周洁', qualification: '无', qualified: false }],
      safety: { dangerousBuilding: true, civilDefence: false, physicalDefence: true, technicalDefence: true, rectifyBy: '2026-12-31' },
    };
    expect(thingsToFix(broken).map((f) => f.key)).toEqual(['dangerousBuilding', 'civilDefence', 'head', 'teachers', 'staffing', 'feeAccount']);
    expect(thingsToFix(broken).find((f) => f.key === 'staffing')?.values).toEqual({ teachers: 2, carers: 1 });
    expect(thingsToFix({ ...broken, nature: 'public' }).map((f) => f.key)).not.toContain('feeAccount');
  });
});
