/**
 * Pure rules of signing in: the throttle of failed sign-ins (OWASP ASVS 2.2)
 * and password strength.
 *
 * The throttle never locks an account: a lock can be turned against its owner
 * (usernames are sequential exam numbers, so a script could lock a whole cohort
 * out on deadline night). Instead, failures are counted per (username as typed,
 * client address):
 * - from one address, after `freeFailures` failures for one account, that
 *   address must wait a time that doubles with each further failure before its
 *   next attempt for that account is even checked (answered 429 with
 *   Retry-After, the password not verified);
 * - every attempt for an account, from anywhere, waits a small bounded delay
 *   growing with the account's recent failures from all addresses, so a
 *   distributed guesser is slowed, while the owner signing in from a new
 *   address is at most `maxAccountDelayMs` late and never refused.
 * The rules take the username as typed, never whether it exists: an unknown
 * name is throttled, delayed and answered exactly like a real one.
 */

import { createHmac } from 'node:crypto';
import { ACTIONS } from '../../policies/actions';

export interface SignInThrottlePolicy {
  /** Failures per (account, address) answered without any wait before the next attempt. */
  freeFailures: number;
  /** Wait after the `freeFailures`-th failure; doubled by each further failure. */
  firstWaitMs: number;
  /** Cap of that wait. */
  maxWaitMs: number;
  /** Delay, per recent failure of the account from all addresses, before any attempt for it is checked. */
  accountDelayStepMs: number;
  /** Cap of that delay: the owner is never held up longer than this by others' failures. */
  maxAccountDelayMs: number;
  /** Failures older than this no longer slow the account down. */
  accountWindowMs: number;
  /** An (account, address) count whose last failure is older than this is forgotten (and pruned). */
  forgetAfterMs: number;
}

export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottlePolicy = {
  freeFailures: 5,
  firstWaitMs: 1_000,
  maxWaitMs: 60 * 60_000,
  accountDelayStepMs: 100,
  maxAccountDelayMs: 1_500,
  accountWindowMs: 15 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
};

/** The failures counted for one (account, address), as stored. */
export interface SignInFailureCount {
  address: string;
  failures: number;
  lastFailureAt: Date;
}

/** What to do with an attempt: refuse it unchecked until `retryAfterMs` passed, or check it after `delayMs`. */
export type SignInGate = { allowed: false; retryAfterMs: number } | { allowed: true; delayMs: number };

/**
 * How long an address that failed `failures` times in a row for an account
 * must wait after its last failure: nothing up to `freeFailures`, then
 * `firstWaitMs`, doubling with each further failure, up to `maxWaitMs`.
 */
export function addressWaitMs(failures: number, policy: SignInThrottlePolicy = DEFAULT_SIGN_IN_THROTTLE): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 52);
  return Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** doublings);
}

/** The small delay before any attempt for an account with `recentFailures` failures (all addresses) in the window. */
export function accountDelayMs(recentFailures: number, policy: SignInThrottlePolicy = DEFAULT_SIGN_IN_THROTTLE): number {
  return Math.min(policy.maxAccountDelayMs, Math.max(0, recentFailures) * policy.accountDelayStepMs);
}

/** Whether a stored count is old enough to be forgotten (and pruned). */
export function isForgotten(count: Pick<SignInFailureCount, 'lastFailureAt'>, now: Date, policy: SignInThrottlePolicy = DEFAULT_SIGN_IN_THROTTLE): boolean {
  return now.getTime() - count.lastFailureAt.getTime() > policy.forgetAfterMs;
}

/**
 * The failure count a new failure from `address` continues: the stored one,
 * or 0 when there is none or it is forgotten.
 */
export function failuresFrom(counts: readonly SignInFailureCount[], address: string, now: Date, policy: SignInThrottlePolicy = DEFAULT_SIGN_IN_THROTTLE): number {
  const own = counts.find((count) => count.address === address);
  return own && !isForgotten(own, now, policy) ? own.failures : 0;
}

/**
 * Whether an attempt for an account from `address` at `now` is checked, given
 * the account's failure counts from every address: refused while the
 * address's own wait runs, otherwise checked after the account-wide delay.
 * Failures from other addresses never refuse it.
 *
 * The counts are read, then a failure is counted: a burst of simultaneous
 * attempts from one address is all checked before any is counted. Each is
 * counted afterwards, so such a burst buys as many doublings of the wait (the
 * cap after a few dozen), and its size is bounded by the per-address sign-in
 * rate limit (LOGIN_RATE_LIMIT).
 */
export function signInGate(
  counts: readonly SignInFailureCount[],
  address: string,
  now: Date,
  policy: SignInThrottlePolicy = DEFAULT_SIGN_IN_THROTTLE,
): SignInGate {
  const own = counts.find((count) => count.address === address);
  const waitMs = own && !isForgotten(own, now, policy) ? addressWaitMs(own.failures, policy) : 0;
  // No wait, no refusal: also when the last failure is stamped a little ahead (another API process's clock).
  if (own && waitMs > 0) {
    const waitEndsAt = own.lastFailureAt.getTime() + waitMs;
    if (waitEndsAt > now.getTime()) return { allowed: false, retryAfterMs: waitEndsAt - now.getTime() };
  }
  const recent = counts
    .filter((count) => now.getTime() - count.lastFailureAt.getTime() <= policy.accountWindowMs)
    .reduce((sum, count) => sum + count.failures, 0);
  return { allowed: true, delayMs: accountDelayMs(recent, policy) };
}

/** Whole seconds for Retry-After and the message, at least 1. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/** The password strength rule lives in password-rule.ts, which the browser imports too. */
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem, type PasswordProblem } from './password-rule';

/** Roles that may turn on two-factor sign-in (TOTP): the bureau, which can change everything (the action table's `auth.totp.manage`). */
export function canUseTotp(role: string): boolean {
  return (ACTIONS['auth.totp.manage'].roles as readonly string[]).includes(role);
}

/**
 * Whether an account must turn on two-factor sign-in before it may do
 * anything but sign in, sign out, change its password and enroll: a bureau
 * account without TOTP while the policy (BUREAU_TOTP_REQUIRED) demands it.
 */
export function mustEnrollTotp(user: { role: string; totpEnabledAt: Date | null }, policy: { bureauTotpRequired: boolean }): boolean {
  return policy.bureauTotpRequired && canUseTotp(user.role) && user.totpEnabledAt === null;
}

/** Whether the password step of a sign-in must be followed by a TOTP code. */
export function needsSecondFactor(user: { role: string; totpEnabledAt: Date | null; totpSecret: string | null }): boolean {
  return canUseTotp(user.role) && user.totpEnabledAt !== null && user.totpSecret !== null;
}

/**
 * The name failed sign-ins are counted under: an HMAC of the name as typed
 * (trimmed), never the text itself, since a person may type their 身份证号 into
 * the username field. `key` is the same in every API process (JWT_SECRET).
 */
export function signInCountName(key: string, username: string): string {
  return createHmac('sha256', key).update(username.trim()).digest('hex');
}

/**
 * The password hash of an account that has no password yet (made by an
 * import): nothing verifies against it, and checking it costs as long as a
 * real hash, so signing in to such an account answers like a wrong password.
 * The person sets a password with an activation code.
 */
export const NO_PASSWORD_HASH = '!no-password';
