import { describe, expect, it } from 'vitest';
import { hashRefreshToken, newRefreshToken, REFRESH_REUSE_GRACE_MS, refreshTokenVerdict, type RefreshTokenState } from './refresh-tokens';

const now = new Date('2026-06-20T08:00:00Z');
const fresh: RefreshTokenState = { usedAt: null, revokedAt: null, expiresAt: new Date('2026-06-27T08:00:00Z'), tokenVersion: 3 };
const verdict = (token: Partial<RefreshTokenState>, userTokenVersion: number | null = 3, familyRevoked = false) =>
  refreshTokenVerdict({ ...fresh, ...token }, { now, userTokenVersion, familyRevoked });
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);

describe('refresh tokens', () => {
  it('are 256 random bits, stored only as their SHA-256', () => {
    const a = newRefreshToken();
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.hash).toBe(hashRefreshToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.token);
    expect(newRefreshToken().token).not.toBe(a.token);
  });

  it('may be exchanged once while unused, unrevoked, unexpired and of the current token version', () => {
    expect(verdict({})).toBe('valid');
  });

  it('count a second use as reuse, even after revocation or expiry', () => {
    const used = new Date('2026-06-20T07:59:00Z');
    expect(verdict({ usedAt: used })).toBe('reused');
    expect(verdict({ usedAt: used, revokedAt: now })).toBe('reused');
    expect(verdict({ usedAt: used, expiresAt: now })).toBe('reused');
  });

  it('renew a concurrent use within the 30 s grace window after the first use, while the sign-in is intact', () => {
    expect(REFRESH_REUSE_GRACE_MS).toBe(30_000);
    expect(verdict({ usedAt: now })).toBe('concurrent');
    expect(verdict({ usedAt: secondsAgo(30) })).toBe('concurrent');
    expect(verdict({ usedAt: secondsAgo(31) })).toBe('reused');
    // A revoked family, a bumped version or an expired token get no grace: that is theft or an ended sign-in.
    expect(verdict({ usedAt: secondsAgo(1) }, 3, true)).toBe('reused');
    expect(verdict({ usedAt: secondsAgo(1), revokedAt: now })).toBe('reused');
    expect(verdict({ usedAt: secondsAgo(1) }, 4)).toBe('reused');
    expect(verdict({ usedAt: secondsAgo(1), expiresAt: now })).toBe('reused');
  });

  it('end when any token of their family was revoked', () => {
    expect(verdict({}, 3, true)).toBe('revoked');
  });

  it('end with revocation, a newer token version (logout, password change) or a deleted user', () => {
    expect(verdict({ revokedAt: now })).toBe('revoked');
    expect(verdict({}, 4)).toBe('revoked');
    expect(verdict({}, null)).toBe('revoked');
  });

  it('expire at expiresAt', () => {
    expect(verdict({ expiresAt: new Date(now.getTime() + 1) })).toBe('valid');
    expect(verdict({ expiresAt: now })).toBe('expired');
  });
});
