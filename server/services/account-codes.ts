import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * One-time activation codes (激活码): what a person types, with a new password,
 * to set up or reset their account. Pure apart from the random source.
 *
 * A code is 10 characters of Crockford's base32 alphabet (no I, L, O, U:
 * nothing to confuse with 1, 0 or V), 50 random bits, shown as XXXXX-XXXXX and
 * read back case-insensitively, ignoring dashes and spaces, with O read as 0
 * and I/L as 1. Only its SHA-256 is stored: the code is shown once. 50 bits
 * are plenty against online guessing, which the sign-in throttle and the
 * account lock slow to a handful of tries per quarter hour; a fast hash is
 * fine because no one can guess offline without the database, and with it a
 * 2^50 search per code is still far from cheap.
 */

export const ACTIVATION_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ACTIVATION_CODE_LENGTH = 10;
/** How long an issued code stays valid. */
export const ACTIVATION_CODE_TTL_DAYS = 30;

/** A new random code, formatted for people (XXXXX-XXXXX). */
export function newActivationCode(random: (size: number) => Buffer = randomBytes): string {
  // The low 5 bits of a random byte are uniform (32 divides 256): 10 bytes give 50 unbiased bits.
  const bytes = random(ACTIVATION_CODE_LENGTH);
  let code = '';
  for (let i = 0; i < ACTIVATION_CODE_LENGTH; i++) {
    if (i === 5) code += '-';
    code += ACTIVATION_CODE_ALPHABET[bytes[i] & 31];
  }
  return code;
}

/** `count` new codes from one draw of random bytes (one small draw each costs far more at 50,000). */
export function newActivationCodes(count: number, random: (size: number) => Buffer = randomBytes): string[] {
  const pool = random(count * ACTIVATION_CODE_LENGTH);
  return Array.from({ length: count }, (_, i) => newActivationCode(() => pool.subarray(i * ACTIVATION_CODE_LENGTH, (i + 1) * ACTIVATION_CODE_LENGTH)));
}

/** XXXXXXXXXX -> XXXXX-XXXXX. */
export function formatActivationCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * What a person typed, as the canonical code: upper case, without dashes and
 * white space, with the look-alikes O -> 0 and I, L -> 1. Null when it cannot
 * be a code (wrong length or a character outside the alphabet).
 */
export function normalizeActivationCode(typed: string): string | null {
  const code = typed
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015\uFF0D]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (code.length !== ACTIVATION_CODE_LENGTH) return null;
  for (const char of code) if (!ACTIVATION_CODE_ALPHABET.includes(char)) return null;
  return code;
}

/** The stored form of a code: hex SHA-256 of its canonical form. */
export function hashActivationCode(code: string): string {
  const canonical = normalizeActivationCode(code) ?? code;
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex SHA-256 digests. */
export function sameCodeHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}

/** When a code issued at `now` stops working. */
export function activationCodeExpiry(now: Date, ttlDays: number = ACTIVATION_CODE_TTL_DAYS): Date {
  return new Date(now.getTime() + ttlDays * 86_400_000);
}

/**
 * Whether a typed code opens an account: the stored code exists, its hash
 * matches (compared in constant time) and it has not expired. Used codes are
 * deleted, so "not used" is "exists".
 */
export function activationCodeMatches(stored: { codeHash: string; expiresAt: Date } | null, typed: string, now: Date): boolean {
  const canonical = normalizeActivationCode(typed);
  // Hash even when there is nothing to compare with, so every failure costs the same.
  const hash = hashActivationCode(canonical ?? 'X'.repeat(ACTIVATION_CODE_LENGTH));
  if (!stored || canonical === null) return false;
  const matches = sameCodeHash(stored.codeHash, hash);
  return matches && stored.expiresAt.getTime() > now.getTime();
}
