import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '../errors';

/**
 * Access tokens: HS256 JWTs carrying the user id (`sub`) and the user's
 * `tokenVersion` (`ver`). The authenticate middleware compares `ver` with the
 * database, so logout and password change (which bump the version) revoke
 * every token issued before.
 */
export interface TokenClaims {
  userId: string;
  tokenVersion: number;
}

export interface TokenService {
  sign(claims: TokenClaims): { token: string; expiresAt: Date };
  /** Throws AppError UNAUTHENTICATED (bad token) or SESSION_EXPIRED (expired). */
  verify(token: string): TokenClaims;
}

const ISSUER = 'zz-admissions';

export function createTokenService(options: { secret: string; ttlSeconds: number; now?: () => Date }): TokenService {
  const now = options.now ?? (() => new Date());
  // A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on every call.
  const key = createSecretKey(Buffer.from(options.secret, 'utf8'));
  return {
    sign({ userId, tokenVersion }) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      const token = jwt.sign({ ver: tokenVersion, iat: issuedAt }, key, {
        algorithm: 'HS256',
        subject: userId,
        issuer: ISSUER,
        expiresIn: options.ttlSeconds,
      });
      return { token, expiresAt: new Date((issuedAt + options.ttlSeconds) * 1000) };
    },
    verify(token) {
      let payload: string | jwt.JwtPayload;
      try {
        payload = jwt.verify(token, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          clockTimestamp: Math.floor(now().getTime() / 1000),
        });
      } catch (error) {
        if (error instanceof jwt.TokenExpiredError) throw new AppError('SESSION_EXPIRED');
        throw new AppError('UNAUTHENTICATED');
      }
      if (typeof payload === 'string' || typeof payload.sub !== 'string' || typeof payload.ver !== 'number') {
        throw new AppError('UNAUTHENTICATED');
      }
      return { userId: payload.sub, tokenVersion: payload.ver };
    },
  };
}
