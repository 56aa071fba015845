import { describe, expect, it } from 'vitest';
import {
  canUseTotp,
  DEFAULT_LOCKOUT_POLICY,
  failureDelayMs,
  failuresBefore,
  isLocked,
  lockAfterFailure,
  minutesLeft,
  mustEnrollTotp,
  needsSecondFactor,
  passwordProblem,
} from './auth.rules';

const now = new Date('2026-06-20T08:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

describe('lockout', () => {
  it('locks on the fifth failure in a row for 15 minutes', () => {
    for (let n = 1; n < 5; n++) expect(lockAfterFailure(n, now)).toBeNull();
    expect(lockAfterFailure(5, now)).toEqual(minutes(15));
    expect(lockAfterFailure(7, now)).toEqual(minutes(15));
  });

  it('knows when a lock holds', () => {
    expect(isLocked(null, now)).toBe(false);
    expect(isLocked(minutes(1), now)).toBe(true);
    expect(isLocked(minutes(0), now)).toBe(false);
    expect(isLocked(minutes(-1), now)).toBe(false);
  });

  it('starts counting again after a lock ran out', () => {
    expect(failuresBefore(5, minutes(-1), now)).toBe(0);
    expect(failuresBefore(5, minutes(3), now)).toBe(5);
    expect(failuresBefore(3, null, now)).toBe(3);
  });

  it('rounds the minutes left up', () => {
    expect(minutesLeft(minutes(15), now)).toBe(15);
    expect(minutesLeft(new Date(now.getTime() + 61_000), now)).toBe(2);
    expect(minutesLeft(new Date(now.getTime() + 1_000), now)).toBe(1);
  });

  it('slows down each failure a little more, up to a cap', () => {
    expect(failureDelayMs(0)).toBe(0);
    expect(failureDelayMs(1)).toBe(DEFAULT_LOCKOUT_POLICY.delayStepMs);
    expect(failureDelayMs(3)).toBe(3 * DEFAULT_LOCKOUT_POLICY.delayStepMs);
    expect(failureDelayMs(50)).toBe(DEFAULT_LOCKOUT_POLICY.maxDelayMs);
  });
});

describe('passwordProblem', () => {
  const ctx = { username: 'zhang.san', currentPassword: 'Old-pass-1' };

  it('accepts a password with letters and digits', () => {
    expect(passwordProblem('株洲一中2026', { username: 'x' })).toBeNull();
    expect(passwordProblem('correct horse 7', ctx)).toBeNull();
  });

  it.each([
    ['abc12', 'too_short'],
    ['a1'.repeat(65), 'too_long'],
    ['onlyletters', 'needs_letter_and_digit'],
    ['1234567890', 'needs_letter_and_digit'],
    ['Zhang.San2026', 'contains_username'],
    ['Old-pass-1', 'same_as_current'],
  ])('%s -> %s', (password, problem) => {
    expect(passwordProblem(password, ctx)).toBe(problem);
  });
});

describe('two-factor sign-in rules', () => {
  const required = { bureauTotpRequired: true };
  const optional = { bureauTotpRequired: false };

  it('is for bureau accounts only', () => {
    expect(canUseTotp('bureau')).toBe(true);
    for (const role of ['student', 'junior', 'high', 'auditor']) expect(canUseTotp(role)).toBe(false);
  });

  it('holds back a bureau account without TOTP only while the policy requires it', () => {
    expect(mustEnrollTotp({ role: 'bureau', totpEnabledAt: null }, required)).toBe(true);
    expect(mustEnrollTotp({ role: 'bureau', totpEnabledAt: now }, required)).toBe(false);
    expect(mustEnrollTotp({ role: 'bureau', totpEnabledAt: null }, optional)).toBe(false);
    expect(mustEnrollTotp({ role: 'auditor', totpEnabledAt: null }, required)).toBe(false);
  });

  it('asks for a code after the password only when TOTP is enabled with a secret', () => {
    expect(needsSecondFactor({ role: 'bureau', totpEnabledAt: now, totpSecret: 'v1.x' })).toBe(true);
    // Set up but not confirmed yet: the password alone still signs in.
    expect(needsSecondFactor({ role: 'bureau', totpEnabledAt: null, totpSecret: 'v1.x' })).toBe(false);
    expect(needsSecondFactor({ role: 'high', totpEnabledAt: now, totpSecret: 'v1.x' })).toBe(false);
  });
});
