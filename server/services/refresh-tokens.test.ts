import { describe, expect, it } from 'vitest';
import { hashRefreshToken, newRefreshToken, refreshTokenVerdict, type RefreshTokenState } from './refresh-tokens';

const now = new Date('2026-06-20T08:00:00Z');
const fresh: RefreshTokenState = { usedAt: null, revokedAt: null, expiresAt: new Date('2026-06-27T08:00:00Z'), tokenVersion: 3 };
const verdict = (token: Partial<RefreshTokenState>, userTokenVersion: number | null = 3) =>
  refreshTokenVerdict({ ...fresh, ...token }, { now, userTokenVersion });

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
