import { describe, expect, it } from 'vitest';
import type { Actor, Role } from './actor';
import { canIssueActivationCodeFor, canIssueActivationCodes, canIssueForJuniorSchool, issueRoleScope, type AccountRef } from './account.policy';

function actor(role: Role, overrides: Partial<Actor> = {}): Actor {
  return { id: `${role}-user`, role, highSchoolId: null, juniorSchoolId: null, studentId: null, regionCode: null, ...overrides };
}

const city = actor('bureau');
const hetang = actor('bureau', { regionCode: 'HT' });
const j1 = actor('junior', { juniorSchoolId: 'J1', regionCode: 'HT' });
const h1 = actor('high', { highSchoolId: 'H1', regionCode: 'HT' });
const student = actor('student', { studentId: 's1' });
const auditor = actor('auditor');

const account = (role: Role, regionCode: string | null, juniorSchoolId: string | null = null): AccountRef => ({ username: `${role}-x`, role, regionCode, juniorSchoolId });
const studentOfJ1 = account('student', 'HT', 'J1');
const studentOfJ2 = account('student', 'HT', 'J2');
const studentElsewhere = account('student', 'LL', 'J9');

describe('canIssueActivationCodes', () => {
  it('lets bureaus and junior schools issue, nobody else', () => {
    expect([city, hetang, j1].map(canIssueActivationCodes)).toEqual([true, true, true]);
    expect([h1, student, auditor, actor('junior')].map(canIssueActivationCodes)).toEqual([false, false, false, false]);
  });
});

describe('canIssueActivationCodeFor', () => {
  it('lets the city bureau issue for anyone, auditors and bureaus included', () => {
    for (const target of [studentOfJ1, account('auditor', null), account('bureau', null), account('bureau', 'HT'), account('high', 'LL')]) {
      expect(canIssueActivationCodeFor(city, target)).toBe(true);
    }
  });

  it('keeps a county bureau to the schools and students of its region', () => {
    expect(canIssueActivationCodeFor(hetang, studentOfJ1)).toBe(true);
    expect(canIssueActivationCodeFor(hetang, account('junior', 'HT', 'J1'))).toBe(true);
    expect(canIssueActivationCodeFor(hetang, account('high', 'HT'))).toBe(true);
    expect(canIssueActivationCodeFor(hetang, studentElsewhere)).toBe(false);
    expect(canIssueActivationCodeFor(hetang, account('high', 'LL'))).toBe(false);
    expect(canIssueActivationCodeFor(hetang, account('bureau', 'HT'))).toBe(false);
    expect(canIssueActivationCodeFor(hetang, account('bureau', null))).toBe(false);
    expect(canIssueActivationCodeFor(hetang, account('auditor', null))).toBe(false);
  });

  it('keeps a junior school to its own students', () => {
    expect(canIssueActivationCodeFor(j1, studentOfJ1)).toBe(true);
    expect(canIssueActivationCodeFor(j1, studentOfJ2)).toBe(false);
    expect(canIssueActivationCodeFor(j1, account('junior', 'HT', 'J1'))).toBe(false);
    expect(canIssueActivationCodeFor(actor('junior'), account('student', 'HT', null))).toBe(false);
  });

  it('refuses high schools, students and auditors', () => {
    for (const who of [h1, student, auditor]) expect(canIssueActivationCodeFor(who, studentOfJ1)).toBe(false);
  });
});

describe('canIssueForJuniorSchool', () => {
  const school = { id: 'J1', regionCode: 'HT' };
  it('allows the city bureau, the county bureau of the region and the school itself', () => {
    expect(canIssueForJuniorSchool(city, school)).toBe(true);
    expect(canIssueForJuniorSchool(hetang, school)).toBe(true);
    expect(canIssueForJuniorSchool(j1, school)).toBe(true);
    expect(canIssueForJuniorSchool(hetang, { id: 'J9', regionCode: 'LL' })).toBe(false);
    expect(canIssueForJuniorSchool(j1, { id: 'J2', regionCode: 'HT' })).toBe(false);
    expect(canIssueForJuniorSchool(h1, school)).toBe(false);
  });
});

describe('issueRoleScope', () => {
  it('gives the city bureau every role city-wide and a county bureau its schools', () => {
    expect(issueRoleScope(city, 'county')).toEqual({ regionCode: null });
    expect(issueRoleScope(hetang, 'high')).toEqual({ regionCode: 'HT' });
    expect(issueRoleScope(hetang, 'junior')).toEqual({ regionCode: 'HT' });
    expect(issueRoleScope(hetang, 'county')).toBe(false);
    expect(issueRoleScope(j1, 'high')).toBe(false);
    expect(issueRoleScope(auditor, 'junior')).toBe(false);
  });
});
