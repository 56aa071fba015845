import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createTokenService } from './tokens';

const secret = 'unit-test-secret-that-is-long-enough-123';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'OTHER';
  }
  return undefined;
}

describe('tokens', () => {
  it('round-trips the user id and token version', () => {
    const tokens = createTokenService({ secret, ttlSeconds: 3600 });
    const { token, expiresAt } = tokens.sign({ userId: 'u1', tokenVersion: 3 });
    expect(tokens.verify(token)).toEqual({ userId: 'u1', tokenVersion: 3 });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('reports an expired token as SESSION_EXPIRED', () => {
    let now = new Date('2026-06-20T08:00:00Z');
    const tokens = createTokenService({ secret, ttlSeconds: 60, now: () => now });
    const { token } = tokens.sign({ userId: 'u1', tokenVersion: 0 });
    now = new Date('2026-06-20T08:02:00Z');
    expect(codeOf(() => tokens.verify(token))).toBe('SESSION_EXPIRED');
  });

  it('refuses tokens signed with another secret, another algorithm, or garbage', () => {
    const tokens = createTokenService({ secret, ttlSeconds: 3600 });
    const other = createTokenService({ secret: `${secret}-other`, ttlSeconds: 3600 }).sign({ userId: 'u1', tokenVersion: 0 });
    expect(codeOf(() => tokens.verify(other.token))).toBe('UNAUTHENTICATED');
    const unsigned = jwt.sign({ sub: 'u1', ver: 0, iss: 'zz-admissions' }, '', { algorithm: 'none' });
    expect(codeOf(() => tokens.verify(unsigned))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => tokens.verify('not.a.token'))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token without a version', () => {
    const tokens = createTokenService({ secret, ttlSeconds: 3600 });
    const token = jwt.sign({ sub: 'u1', iss: 'zz-admissions' }, secret, { algorithm: 'HS256' });
    expect(codeOf(() => tokens.verify(token))).toBe('UNAUTHENTICATED');
  });
});
