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
 * How long after its first use a refresh token may be presented again and
 * still renew the session: two tabs of one browser (or a client retrying an
 * answer it lost) refresh with the same token at the same moment.
 *
 * The trade-off: within this window a copy of the token also renews, so a
 * thief who replays it within 30 s of the owner's refresh gets a session of
 * the same family instead of setting off the reuse alarm. Both sessions then
 * live side by side until one of them presents a used token late, which ends
 * them all. After the window (a thief replaying an old token, the case the
 * alarm is for), reuse still revokes the whole family and its access tokens.
 */
export const REFRESH_REUSE_GRACE_MS = 30_000;

/**
 * What presenting a stored token means at `now`:
 * - `concurrent`: it was used less than `graceMs` ago and its sign-in is
 *   intact: a concurrent refresh (another tab), renewed with a sibling token
 *   of the same family;
 * - `reused`: it was used before that (theft, or a client that lost the
 *   answer long ago), or its sign-in ended since: revoke its family;
 * - `revoked`: logout, password change or a detected reuse ended it or its
 *   family, or the user's token version moved on (or the user is gone);
 * - `expired`: older than REFRESH_TTL;
 * - `valid`: it may be exchanged, once.
 */
export function refreshTokenVerdict(
  token: RefreshTokenState,
  context: { now: Date; userTokenVersion: number | null; familyRevoked?: boolean; graceMs?: number },
): 'valid' | 'concurrent' | 'reused' | 'revoked' | 'expired' {
  const ended =
    token.revokedAt !== null ||
    context.familyRevoked === true ||
    context.userTokenVersion === null ||
    context.userTokenVersion !== token.tokenVersion;
  const expired = token.expiresAt.getTime() <= context.now.getTime();
  if (token.usedAt !== null) {
    const sinceUse = context.now.getTime() - token.usedAt.getTime();
    const graceMs = context.graceMs ?? REFRESH_REUSE_GRACE_MS;
    return !ended && !expired && sinceUse >= 0 && sinceUse <= graceMs ? 'concurrent' : 'reused';
  }
  if (ended) return 'revoked';
  if (expired) return 'expired';
  return 'valid';
}
