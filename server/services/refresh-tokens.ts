import { createHash, randomBytes } from 'node:crypto';

/**
 * Rules of refresh tokens (OAuth 2.1 §4.3.1 rotation, RFC 6819 §5.2.2.3):
 * a refresh token is 256 random bits, stored only as its SHA-256; each use
 * marks it used and issues the next token of the same family; a used token
 * presented again means two parties hold it, so the whole family is revoked.
 * Pure, apart from the randomness of `newRefreshToken`.
 */

/** A new token to give the client, and the hash to store. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

/** The stored form of a token: a fast hash is enough for 256 random bits. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface RefreshTokenState {
  usedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date;
  /** The user's tokenVersion when the token was issued. */
  tokenVersion: number;
}

/**
 * What presenting a stored token means at `now`:
 * - `reused`: it was used already (theft, or a client that lost the answer): revoke its family;
 * - `revoked`: logout, password change or a detected reuse ended it, or the
 *   user's token version moved on (or the user is gone);
 * - `expired`: older than REFRESH_TTL;
 * - `valid`: it may be exchanged, once.
 */
export function refreshTokenVerdict(
  token: RefreshTokenState,
  context: { now: Date; userTokenVersion: number | null },
): 'valid' | 'reused' | 'revoked' | 'expired' {
  if (token.usedAt !== null) return 'reused';
  if (token.revokedAt !== null || context.userTokenVersion === null || context.userTokenVersion !== token.tokenVersion) return 'revoked';
  if (token.expiresAt.getTime() <= context.now.getTime()) return 'expired';
  return 'valid';
}
