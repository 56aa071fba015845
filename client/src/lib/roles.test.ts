import { describe, expect, it } from 'vitest';
import { ROLES, homePathFor, isRole } from './roles';

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
