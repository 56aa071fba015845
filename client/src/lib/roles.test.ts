import { describe, expect, it } from 'vitest';
import { ROLES, homePathFor, isRole, issueRoleScope, roleMay } from './roles';

describe('homePathFor', () => {
  it('gives each role its own home', () => {
    expect(ROLES.map(homePathFor)).toEqual(['/student', '/junior', '/high', '/bureau', '/auditor', '/kindergarten']);
  });
});

describe('isRole', () => {
  it('accepts the roles and nothing else', () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const other of ['admin', 'Student', '', null, undefined, 3]) expect(isRole(other)).toBe(false);
  });
});

describe('roleMay', () => {
  it('reads the server\'s action table: only inspectors read the audit log, only students save choices', () => {
    expect(ROLES.filter((r) => roleMay(r, 'audit.read'))).toEqual(['auditor']);
    expect(ROLES.filter((r) => roleMay(r, 'student.application.save'))).toEqual(['student']);
    expect(ROLES.filter((r) => roleMay(r, 'flags.read'))).toEqual(['bureau', 'auditor']);
  });
});

describe('issueRoleScope', () => {
  const user = { id: 'u', role: 'bureau' as const, highSchoolId: null, juniorSchoolId: null, studentId: null };
  it('offers county-bureau accounts to the city bureau only', () => {
    expect(issueRoleScope({ ...user, regionCode: null }, 'county')).toEqual({ regionCode: null });
    expect(issueRoleScope({ ...user, regionCode: '430202' }, 'county')).toBe(false);
    expect(issueRoleScope({ ...user, regionCode: '430202' }, 'high')).toEqual({ regionCode: '430202' });
  });
});
