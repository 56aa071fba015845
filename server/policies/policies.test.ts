import { describe, expect, it } from 'vitest';
import {
  canActAsStudent,
  canDecidePlanChange,
  canManageHighSchool,
  canReadHighSchool,
  canReadJob,
  canReadJuniorSchool,
  canReadStudent,
  highSchoolScope,
  juniorSchoolScope,
  oversightRegion,
  studentScope,
  type Actor,
  type Role,
  type StudentRef,
} from './index';

function actor(role: Role, overrides: Partial<Actor> = {}): Actor {
  return {
    id: `${role}-user`,
    role,
    highSchoolId: null,
    juniorSchoolId: null,
    studentId: null,
    regionCode: null,
    ...overrides,
  };
}

const student1 = actor('student', { studentId: 's1' });
const student2 = actor('student', { studentId: 's2' });
const junior1 = actor('junior', { juniorSchoolId: 'j1' });
const junior2 = actor('junior', { juniorSchoolId: 'j2' });
const high1 = actor('high', { highSchoolId: 'h1' });
const high2 = actor('high', { id: 'high-user-2', highSchoolId: 'h2' });
const cityBureau = actor('bureau');
const hetangBureau = actor('bureau', { regionCode: '430202' });
const liulingBureau = actor('bureau', { regionCode: '430281' });
const auditor = actor('auditor');

const hetangHigh = { id: 'h1', regionCode: '430202' };
const hetangJunior = { id: 'j1', regionCode: '430202' };
const s1: StudentRef = { id: 's1', juniorSchoolId: 'j1', regionCode: '430202', highSchoolIds: ['h1'] };

describe('canReadHighSchool', () => {
  it('lets a school read its own data and not another school', () => {
    expect(canReadHighSchool(high1, hetangHigh)).toBe(true);
    expect(canReadHighSchool(high2, hetangHigh)).toBe(false);
  });

  it('lets the city bureau, the region bureau and inspectors read it', () => {
    expect(canReadHighSchool(cityBureau, hetangHigh)).toBe(true);
    expect(canReadHighSchool(hetangBureau, hetangHigh)).toBe(true);
    expect(canReadHighSchool(liulingBureau, hetangHigh)).toBe(false);
    expect(canReadHighSchool(auditor, hetangHigh)).toBe(true);
  });

  it('refuses students and junior schools', () => {
    expect(canReadHighSchool(student1, hetangHigh)).toBe(false);
    expect(canReadHighSchool(junior1, hetangHigh)).toBe(false);
  });

  it('refuses a high-school user with no school', () => {
    expect(canReadHighSchool(actor('high'), hetangHigh)).toBe(false);
  });
});

describe('canDecidePlanChange', () => {
  it('lets the city bureau decide any plan change, a county bureau only its region-scope schools', () => {
    expect(canDecidePlanChange(cityBureau, { ...hetangHigh, scope: 'city' })).toBe(true);
    expect(canDecidePlanChange(hetangBureau, { ...hetangHigh, scope: 'region' })).toBe(true);
    expect(canDecidePlanChange(hetangBureau, { ...hetangHigh, scope: 'city' })).toBe(false);
    expect(canDecidePlanChange(liulingBureau, { ...hetangHigh, scope: 'region' })).toBe(false);
    expect(canDecidePlanChange(high1, { ...hetangHigh, scope: 'region' })).toBe(false);
  });
});

describe('canManageHighSchool', () => {
  it('allows the school and its bureau, never inspectors', () => {
    expect(canManageHighSchool(high1, hetangHigh)).toBe(true);
    expect(canManageHighSchool(high2, hetangHigh)).toBe(false);
    expect(canManageHighSchool(cityBureau, hetangHigh)).toBe(true);
    expect(canManageHighSchool(liulingBureau, hetangHigh)).toBe(false);
    expect(canManageHighSchool(auditor, hetangHigh)).toBe(false);
  });
});

describe('canReadJuniorSchool', () => {
  it('allows its own staff, the bureau covering it and inspectors', () => {
    expect(canReadJuniorSchool(junior1, hetangJunior)).toBe(true);
    expect(canReadJuniorSchool(junior2, hetangJunior)).toBe(false);
    expect(canReadJuniorSchool(hetangBureau, hetangJunior)).toBe(true);
    expect(canReadJuniorSchool(liulingBureau, hetangJunior)).toBe(false);
    expect(canReadJuniorSchool(auditor, hetangJunior)).toBe(true);
    expect(canReadJuniorSchool(high1, hetangJunior)).toBe(false);
    expect(canReadJuniorSchool(student1, hetangJunior)).toBe(false);
  });
});

describe('canReadStudent', () => {
  it('lets the student read their own record only', () => {
    expect(canReadStudent(student1, s1)).toBe(true);
    expect(canReadStudent(student2, s1)).toBe(false);
    expect(canReadStudent(actor('student'), s1)).toBe(false);
  });

  it('lets the junior school read its own students', () => {
    expect(canReadStudent(junior1, s1)).toBe(true);
    expect(canReadStudent(junior2, s1)).toBe(false);
    expect(canReadStudent(actor('junior'), { ...s1, juniorSchoolId: null })).toBe(false);
  });

  it('lets a high school read only students who applied or were placed there', () => {
    expect(canReadStudent(high1, s1)).toBe(true);
    expect(canReadStudent(high2, s1)).toBe(false);
  });

  it('scopes a county bureau to its region', () => {
    expect(canReadStudent(cityBureau, s1)).toBe(true);
    expect(canReadStudent(hetangBureau, s1)).toBe(true);
    expect(canReadStudent(liulingBureau, s1)).toBe(false);
    expect(canReadStudent(liulingBureau, { ...s1, regionCode: null })).toBe(false);
  });

  it('lets inspectors read everyone', () => {
    expect(canReadStudent(auditor, s1)).toBe(true);
  });
});

describe('canActAsStudent', () => {
  it('is only the student themself', () => {
    expect(canActAsStudent(student1, 's1')).toBe(true);
    expect(canActAsStudent(student2, 's1')).toBe(false);
    expect(canActAsStudent(cityBureau, 's1')).toBe(false);
    expect(canActAsStudent(junior1, 's1')).toBe(false);
  });
});

describe('canReadJob', () => {
  it('lets bureau and inspectors read every job', () => {
    expect(canReadJob(cityBureau, { createdBy: null })).toBe(true);
    expect(canReadJob(auditor, { createdBy: 'someone' })).toBe(true);
  });

  it('lets others read only the jobs they started, a county bureau too', () => {
    const county = { ...actor('bureau'), id: 'county-1', regionCode: 'HT' };
    expect(canReadJob(county, { createdBy: cityBureau.id })).toBe(false);
    expect(canReadJob(county, { createdBy: null })).toBe(false);
    expect(canReadJob(county, { createdBy: county.id })).toBe(true);
    expect(canReadJob(high1, { createdBy: high1.id })).toBe(true);
    expect(canReadJob(high1, { createdBy: high2.id })).toBe(false);
    expect(canReadJob(high1, { createdBy: null })).toBe(false);
  });
});

describe('scopes', () => {
  it('scopes students by role', () => {
    expect(studentScope(auditor)).toEqual({ kind: 'all' });
    expect(studentScope(cityBureau)).toEqual({ kind: 'all' });
    expect(studentScope(hetangBureau)).toEqual({ kind: 'region', regionCode: '430202' });
    expect(studentScope(junior1)).toEqual({ kind: 'juniorSchool', juniorSchoolId: 'j1' });
    expect(studentScope(high1)).toEqual({ kind: 'highSchool', highSchoolId: 'h1' });
    expect(studentScope(student1)).toEqual({ kind: 'student', studentId: 's1' });
  });

  it('returns nothing for a user missing the record its role needs', () => {
    for (const role of ['student', 'junior', 'high'] as const) {
      expect(studentScope(actor(role))).toEqual({ kind: 'none' });
    }
    expect(highSchoolScope(actor('high'))).toEqual({ kind: 'none' });
    expect(juniorSchoolScope(actor('junior'))).toEqual({ kind: 'none' });
  });

  it('holds a county bureau to its region in oversight lists, nobody else', () => {
    expect(oversightRegion(hetangBureau)).toBe('430202');
    expect(oversightRegion(cityBureau)).toBeNull();
    expect(oversightRegion(auditor)).toBeNull();
  });

  it('scopes schools by role', () => {
    expect(highSchoolScope(high1)).toEqual({ kind: 'school', schoolId: 'h1' });
    expect(highSchoolScope(junior1)).toEqual({ kind: 'none' });
    expect(highSchoolScope(student1)).toEqual({ kind: 'none' });
    expect(highSchoolScope(hetangBureau)).toEqual({ kind: 'region', regionCode: '430202' });
    expect(juniorSchoolScope(junior1)).toEqual({ kind: 'school', schoolId: 'j1' });
    expect(juniorSchoolScope(high1)).toEqual({ kind: 'none' });
    expect(juniorSchoolScope(auditor)).toEqual({ kind: 'all' });
  });
});
