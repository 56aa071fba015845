import { describe, expect, it } from 'vitest';
import { afterLoginPath, decideNavigation, type Target } from './navigation';

const login: Target = { path: '/login', fullPath: '/login', public: true };
const studentHome: Target = { path: '/student', fullPath: '/student', role: 'student' };
const bureauHome: Target = { path: '/bureau', fullPath: '/bureau?tab=flags', role: 'bureau' };
const password: Target = { path: '/password', fullPath: '/password' };
const root: Target = { path: '/', fullPath: '/' };

describe('decideNavigation', () => {
  it('lets anyone see the login page', () => {
    expect(decideNavigation(null, login)).toBe(true);
  });
  it('sends nobody to login, remembering the page', () => {
    expect(decideNavigation(null, bureauHome)).toBe('/login?redirect=%2Fbureau%3Ftab%3Dflags');
    expect(decideNavigation(null, password)).toBe('/login?redirect=%2Fpassword');
    expect(decideNavigation(null, root)).toBe('/login');
  });
  it('lets a user into their own home', () => {
    expect(decideNavigation({ role: 'student', mustChangePassword: false }, studentHome)).toBe(true);
  });
  it("sends a user from another role's page to their own home", () => {
    expect(decideNavigation({ role: 'student', mustChangePassword: false }, bureauHome)).toBe('/student');
    expect(decideNavigation({ role: 'bureau', mustChangePassword: false }, studentHome)).toBe('/bureau');
  });
  it('sends a signed-in user from login and / to their home', () => {
    expect(decideNavigation({ role: 'high', mustChangePassword: false }, login)).toBe('/high');
    expect(decideNavigation({ role: 'auditor', mustChangePassword: false }, root)).toBe('/auditor');
  });
  it('puts the password change before everything else', () => {
    const visitor = { role: 'junior', mustChangePassword: true } as const;
    expect(decideNavigation(visitor, password)).toBe(true);
    for (const target of [login, root, studentHome, { ...studentHome, path: '/junior', role: 'junior' as const }]) {
      expect(decideNavigation(visitor, target)).toBe('/password');
    }
  });
  it('lets a user change a password on purpose', () => {
    expect(decideNavigation({ role: 'high', mustChangePassword: false }, password)).toBe(true);
  });
  it('sends a bureau account that must turn on two-factor sign-in to the security page, after the password', () => {
    const security: Target = { path: '/bureau/security', fullPath: '/bureau/security', role: 'bureau' };
    const enrolling = { role: 'bureau', mustChangePassword: false, mustEnrollTotp: true } as const;
    expect(decideNavigation(enrolling, security)).toBe(true);
    expect(decideNavigation(enrolling, password)).toBe(true);
    for (const target of [login, root, bureauHome, studentHome]) expect(decideNavigation(enrolling, target)).toBe('/bureau/security');
    expect(decideNavigation({ ...enrolling, mustChangePassword: true }, security)).toBe('/password');
    expect(decideNavigation({ ...enrolling, mustEnrollTotp: false }, bureauHome)).toBe(true);
  });
  it('opens the public kindergarten register to everyone, signed in or not (the password change still first)', () => {
    const register: Target = { path: '/kindergartens', fullPath: '/kindergartens?region=HT', anyone: true };
    expect(decideNavigation(null, register)).toBe(true);
    expect(decideNavigation({ role: 'kindergarten', mustChangePassword: false }, register)).toBe(true);
    expect(decideNavigation({ role: 'bureau', mustChangePassword: false }, register)).toBe(true);
    expect(decideNavigation({ role: 'student', mustChangePassword: true }, register)).toBe('/password');
  });
});

describe('afterLoginPath', () => {
  const student = { role: 'student', mustChangePassword: false } as const;
  it('goes home without a redirect', () => {
    expect(afterLoginPath(student, undefined, undefined)).toBe('/student');
  });
  it('goes back to a page of the same role', () => {
    expect(afterLoginPath(student, '/student?x=1', 'student')).toBe('/student?x=1');
  });
  it("does not follow a redirect to another role's page or outside the app", () => {
    expect(afterLoginPath(student, '/bureau', 'bureau')).toBe('/student');
    expect(afterLoginPath(student, '//evil.example/x', undefined)).toBe('/student');
    expect(afterLoginPath(student, 'https://evil.example/', undefined)).toBe('/student');
    expect(afterLoginPath(student, '/login', undefined)).toBe('/student');
  });
  it('goes to the password page first when it must change', () => {
    expect(afterLoginPath({ role: 'bureau', mustChangePassword: true }, '/bureau', 'bureau')).toBe('/password');
  });
  it('goes to the security page when two-factor sign-in must be turned on', () => {
    expect(afterLoginPath({ role: 'bureau', mustChangePassword: false, mustEnrollTotp: true }, '/bureau/rounds', 'bureau')).toBe('/bureau/security');
    expect(afterLoginPath({ role: 'bureau', mustChangePassword: true, mustEnrollTotp: true }, '/bureau', 'bureau')).toBe('/password');
  });
});
