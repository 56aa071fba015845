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

  it('carries the sign-in (session id) of an access token when given one', () => {
    const tokens = createTokenService({ secret, ttlSeconds: 3600 });
    const { token } = tokens.sign({ userId: 'u1', tokenVersion: 3, sessionId: 'family-1' });
    expect(tokens.verify(token)).toEqual({ userId: 'u1', tokenVersion: 3, sessionId: 'family-1' });
    const forged = jwt.sign({ sub: 'u1', ver: 0, typ: 'access', sid: 42, iss: 'zz-admissions' }, secret, { algorithm: 'HS256' });
    expect(codeOf(() => tokens.verify(forged))).toBe('UNAUTHENTICATED');
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
    const token = jwt.sign({ sub: 'u1', typ: 'access', iss: 'zz-admissions' }, secret, { algorithm: 'HS256' });
    expect(codeOf(() => tokens.verify(token))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token without a type (signed before two-factor sign-in existed)', () => {
    const tokens = createTokenService({ secret, ttlSeconds: 3600 });
    const token = jwt.sign({ sub: 'u1', ver: 0, iss: 'zz-admissions' }, secret, { algorithm: 'HS256' });
    expect(codeOf(() => tokens.verify(token))).toBe('UNAUTHENTICATED');
  });
});

describe('two-factor challenges', () => {
  it('round-trips the user id and token version', () => {
    const now = new Date('2026-06-20T08:00:00Z');
    const tokens = createTokenService({ secret, ttlSeconds: 900, now: () => now });
    const challenge = tokens.signMfaChallenge({ userId: 'u1', tokenVersion: 2 });
    expect(tokens.verifyMfaChallenge(challenge.token)).toEqual({ userId: 'u1', tokenVersion: 2 });
    expect(challenge.expiresAt.toISOString()).toBe('2026-06-20T08:05:00.000Z');
  });

  it('is never accepted as an access token, nor an access token as a challenge', () => {
    const tokens = createTokenService({ secret, ttlSeconds: 900 });
    const challenge = tokens.signMfaChallenge({ userId: 'u1', tokenVersion: 0 });
    expect(codeOf(() => tokens.verify(challenge.token))).toBe('UNAUTHENTICATED');
    const access = tokens.sign({ userId: 'u1', tokenVersion: 0 });
    expect(codeOf(() => tokens.verifyMfaChallenge(access.token))).toBe('MFA_CHALLENGE_EXPIRED');
  });

  it('expires after 5 minutes', () => {
    let now = new Date('2026-06-20T08:00:00Z');
    const tokens = createTokenService({ secret, ttlSeconds: 900, now: () => now });
    const challenge = tokens.signMfaChallenge({ userId: 'u1', tokenVersion: 0 });
    now = new Date('2026-06-20T08:04:59Z');
    expect(codeOf(() => tokens.verifyMfaChallenge(challenge.token))).toBeUndefined();
    now = new Date('2026-06-20T08:05:00Z');
    expect(codeOf(() => tokens.verifyMfaChallenge(challenge.token))).toBe('MFA_CHALLENGE_EXPIRED');
  });

  it('refuses a challenge signed with another secret', () => {
    const tokens = createTokenService({ secret, ttlSeconds: 900 });
    const other = createTokenService({ secret: `${secret}-other`, ttlSeconds: 900 }).signMfaChallenge({ userId: 'u1', tokenVersion: 0 });
    expect(codeOf(() => tokens.verifyMfaChallenge(other.token))).toBe('MFA_CHALLENGE_EXPIRED');
  });
});
