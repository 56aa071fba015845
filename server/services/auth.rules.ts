/**
 * Pure rules of signing in: lockout after repeated failures, the growing delay
 * before a failure is answered, and password strength.
 */

export interface LockoutPolicy {
  /** Failed attempts in a row that lock the account. */
  maxFailures: number;
  /** How long a lock lasts. */
  lockMinutes: number;
  /** Extra delay per failure so far, before a failed attempt is answered. */
  delayStepMs: number;
  /** Cap of that delay. */
  maxDelayMs: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  maxFailures: 5,
  lockMinutes: 15,
  delayStepMs: 200,
  maxDelayMs: 1000,
};

/** Whether an account is locked at `now`. */
export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/** Whole minutes until a lock ends, at least 1 (for the message). */
export function minutesLeft(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
}

/**
 * The failure count an attempt starts from: a lock that has run out starts
 * the count again, so one more mistake after a lock does not re-lock at once.
 */
export function failuresBefore(failedLogins: number, lockedUntil: Date | null, now: Date): number {
  return lockedUntil !== null && !isLocked(lockedUntil, now) ? 0 : failedLogins;
}

/** The lock end set by a failure that brings the count to `failedLogins`, or null when still unlocked. */
export function lockAfterFailure(failedLogins: number, now: Date, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY): Date | null {
  return failedLogins >= policy.maxFailures ? new Date(now.getTime() + policy.lockMinutes * 60_000) : null;
}

/** Delay before answering the n-th failure in a row: slows down guessing without locking anyone out. */
export function failureDelayMs(failedLogins: number, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY): number {
  return Math.min(policy.maxDelayMs, Math.max(0, failedLogins) * policy.delayStepMs);
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'too_short' | 'too_long' | 'needs_letter_and_digit' | 'contains_username' | 'same_as_current';

/**
 * Strength rule for a new password: 8 to 128 characters, at least one letter
 * and one digit, not containing the username, different from the current one.
 * Returns the first problem found, or null when the password is acceptable.
 */
export function passwordProblem(newPassword: string, context: { username: string; currentPassword?: string }): PasswordProblem | null {
  if (newPassword.length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (newPassword.length > PASSWORD_MAX_LENGTH) return 'too_long';
  if (!/\p{L}/u.test(newPassword) || !/\p{Nd}/u.test(newPassword)) return 'needs_letter_and_digit';
  const username = context.username.trim().toLowerCase();
  if (username.length >= 3 && newPassword.toLowerCase().includes(username)) return 'contains_username';
  if (context.currentPassword !== undefined && newPassword === context.currentPassword) return 'same_as_current';
  return null;
}

/** Roles that may turn on two-factor sign-in (TOTP): the bureau, which can change everything. */
export function canUseTotp(role: string): boolean {
  return role === 'bureau';
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
