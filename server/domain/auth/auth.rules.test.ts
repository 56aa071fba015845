import { describe, expect, it } from 'vitest';
import {
  accountDelayMs,
  addressWaitMs,
  canUseTotp,
  DEFAULT_SIGN_IN_THROTTLE,
  failuresFrom,
  isForgotten,
  mustEnrollTotp,
  needsSecondFactor,
  passwordProblem,
  retryAfterSeconds,
  signInGate,
  type SignInFailureCount,
} from './auth.rules';

const now = new Date('2026-06-20T08:00:00Z');
const secondsAgo = (n: number) => new Date(now.getTime() - n * 1000);
const policy = DEFAULT_SIGN_IN_THROTTLE;

describe('sign-in throttle', () => {
  it('lets the first failures from an address through without a wait, then doubles the wait up to a cap', () => {
    for (let n = 0; n < policy.freeFailures; n++) expect(addressWaitMs(n)).toBe(0);
    expect(addressWaitMs(policy.freeFailures)).toBe(1_000);
    expect(addressWaitMs(policy.freeFailures + 1)).toBe(2_000);
    expect(addressWaitMs(policy.freeFailures + 4)).toBe(16_000);
    expect(addressWaitMs(policy.freeFailures + 30)).toBe(policy.maxWaitMs);
    expect(addressWaitMs(10_000)).toBe(policy.maxWaitMs);
  });

  it('delays an account only gently, however many failures come from everywhere', () => {
    expect(accountDelayMs(0)).toBe(0);
    expect(accountDelayMs(3)).toBe(300);
    expect(accountDelayMs(1_000_000)).toBe(policy.maxAccountDelayMs);
    expect(policy.maxAccountDelayMs).toBeLessThanOrEqual(2_000);
  });

  it('refuses an address, unchecked, while its wait runs, and tells how long is left', () => {
    const counts: SignInFailureCount[] = [{ address: 'a', failures: policy.freeFailures + 2, lastFailureAt: secondsAgo(1) }];
    expect(signInGate(counts, 'a', now)).toEqual({ allowed: false, retryAfterMs: 3_000 });
    expect(retryAfterSeconds(3_000)).toBe(3);
    expect(retryAfterSeconds(1)).toBe(1);
    // Once the 4 s wait has passed, the next attempt is checked again.
    const later = new Date(now.getTime() + 3_000);
    expect(signInGate(counts, 'a', later)).toMatchObject({ allowed: true });
  });

  it('never refuses an address below the free failures, even when its last failure is stamped ahead of this clock', () => {
    const ahead = new Date(now.getTime() + 5_000);
    expect(signInGate([{ address: 'a', failures: policy.freeFailures - 1, lastFailureAt: ahead }], 'a', now)).toMatchObject({ allowed: true });
    expect(signInGate([{ address: 'a', failures: policy.freeFailures, lastFailureAt: ahead }], 'a', now)).toEqual({ allowed: false, retryAfterMs: 6_000 });
  });

  it('never refuses another address because of failures elsewhere: only the bounded account-wide delay', () => {
    const counts: SignInFailureCount[] = [
      { address: 'attacker-1', failures: 50, lastFailureAt: secondsAgo(1) },
      { address: 'attacker-2', failures: 50, lastFailureAt: secondsAgo(1) },
    ];
    expect(signInGate(counts, 'owner', now)).toEqual({ allowed: true, delayMs: policy.maxAccountDelayMs });
    expect(signInGate(counts, 'attacker-1', now)).toMatchObject({ allowed: false });
  });

  it('counts only recent failures toward the account-wide delay', () => {
    const counts: SignInFailureCount[] = [
      { address: 'x', failures: 2, lastFailureAt: secondsAgo(60) },
      { address: 'y', failures: 4, lastFailureAt: new Date(now.getTime() - policy.accountWindowMs - 1) },
    ];
    expect(signInGate(counts, 'z', now)).toEqual({ allowed: true, delayMs: 200 });
    expect(signInGate([], 'z', now)).toEqual({ allowed: true, delayMs: 0 });
  });

  it('forgets an address\'s failures after a day', () => {
    const old: SignInFailureCount = { address: 'a', failures: 40, lastFailureAt: new Date(now.getTime() - policy.forgetAfterMs - 1) };
    expect(isForgotten(old, now)).toBe(true);
    expect(isForgotten({ lastFailureAt: secondsAgo(60) }, now)).toBe(false);
    expect(failuresFrom([old], 'a', now)).toBe(0);
    expect(failuresFrom([{ ...old, lastFailureAt: secondsAgo(1) }], 'a', now)).toBe(40);
    expect(signInGate([old], 'a', now)).toEqual({ allowed: true, delayMs: 0 });
  });

  it('depends on the counts only, so an unknown name is throttled exactly like a real one', () => {
    const counts: SignInFailureCount[] = [{ address: 'a', failures: 6, lastFailureAt: secondsAgo(0.5) }];
    expect(signInGate(counts, 'a', now, policy)).toEqual(signInGate([...counts], 'a', now, policy));
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
