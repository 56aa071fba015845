import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '../errors';

/**
 * Signed tokens (HS256 JWTs) carrying the user id (`sub`) and the user's
 * `tokenVersion` (`ver`), of two kinds told apart by `typ`:
 *
 * - access tokens (`typ: "access"`, lifetime JWT_TTL) for `Authorization:
 *   Bearer`. The authenticate middleware compares `ver` with the database, so
 *   logout and password change (which bump the version) revoke every token
 *   issued before. They also name their sign-in (`sid`, the refresh token
 *   family): when that family is revoked (a reused refresh token), its access
 *   tokens stop working too.
 * - two-factor challenges (`typ: "mfa"`, 5 minutes): proof that the password
 *   step of a bureau sign-in passed, exchanged with a TOTP code for a session at
 *   POST /api/auth/totp/verify. Never accepted as an access token.
 *
 * Refresh tokens are not JWTs: they are random and live in the database
 * (refresh-tokens.ts).
 */
export interface TokenClaims {
  userId: string;
  tokenVersion: number;
  /**
   * The sign-in the token belongs to (its refresh token family). Every access
   * token the API issues has one; a token without (e.g. signed by a load test
   * with the secret) is checked by its version only.
   */
  sessionId?: string;
}

export interface SignedToken {
  token: string;
  expiresAt: Date;
}

export interface TokenService {
  sign(claims: TokenClaims): SignedToken;
  /** Throws AppError UNAUTHENTICATED (bad token, or not an access token) or SESSION_EXPIRED (expired). */
  verify(token: string): TokenClaims;
  signMfaChallenge(claims: TokenClaims): SignedToken;
  /** Throws AppError MFA_CHALLENGE_EXPIRED for anything but a valid, unexpired challenge. */
  verifyMfaChallenge(token: string): TokenClaims;
}

const ISSUER = 'zz-admissions';
/** Time to type the code from the authenticator app after the password. */
export const MFA_CHALLENGE_TTL_SECONDS = 5 * 60;

type TokenType = 'access' | 'mfa';

export function createTokenService(options: { secret: string; ttlSeconds: number; now?: () => Date }): TokenService {
  const now = options.now ?? (() => new Date());
  // A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on every call.
  const key = createSecretKey(Buffer.from(options.secret, 'utf8'));

  function sign(typ: TokenType, { userId, tokenVersion, sessionId }: TokenClaims, ttlSeconds: number): SignedToken {
    const issuedAt = Math.floor(now().getTime() / 1000);
    const token = jwt.sign({ ver: tokenVersion, typ, iat: issuedAt, ...(sessionId ? { sid: sessionId } : {}) }, key, {
      algorithm: 'HS256',
      subject: userId,
      issuer: ISSUER,
      expiresIn: ttlSeconds,
    });
    return { token, expiresAt: new Date((issuedAt + ttlSeconds) * 1000) };
  }

  /** The claims of a valid token of kind `typ`; 'expired' or 'invalid' otherwise. */
  function read(typ: TokenType, token: string): TokenClaims | 'expired' | 'invalid' {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        clockTimestamp: Math.floor(now().getTime() / 1000),
      });
    } catch (error) {
      return error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid';
    }
    if (typeof payload === 'string' || payload.typ !== typ || typeof payload.sub !== 'string' || typeof payload.ver !== 'number') {
      return 'invalid';
    }
    if (payload.sid !== undefined && typeof payload.sid !== 'string') return 'invalid';
    return { userId: payload.sub, tokenVersion: payload.ver, ...(payload.sid ? { sessionId: payload.sid as string } : {}) };
  }

  return {
    sign: (claims) => sign('access', claims, options.ttlSeconds),
    verify(token) {
      const claims = read('access', token);
      if (claims === 'expired') throw new AppError('SESSION_EXPIRED');
      if (claims === 'invalid') throw new AppError('UNAUTHENTICATED');
      return claims;
    },
    signMfaChallenge: (claims) => sign('mfa', claims, MFA_CHALLENGE_TTL_SECONDS),
    verifyMfaChallenge(token) {
      const claims = read('mfa', token);
      if (typeof claims === 'string') throw new AppError('MFA_CHALLENGE_EXPIRED');
      return claims;
    },
  };
}
