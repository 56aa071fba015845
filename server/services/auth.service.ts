import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { Actor } from '../policies';
import type { Repositories, UnitOfWork } from '../repositories';
import type { UserRow } from '../repositories/user.repository';
import { recordAudit } from './audit.service';
import {
  DEFAULT_LOCKOUT_POLICY,
  failureDelayMs,
  isLocked,
  minutesLeft,
  mustEnrollTotp,
  needsSecondFactor,
  passwordProblem,
  type LockoutPolicy,
} from './auth.rules';
import { timingDummyHash, type PasswordHasher } from './passwords';
import { hashRefreshToken, newRefreshToken, refreshTokenVerdict } from './refresh-tokens';
import type { SecretBox } from './secret-box';
import type { TokenService } from './tokens';
import { isFreshTotpStep, matchTotp, openTotpSecret } from './totp';

/** The account as the API shows it (to its owner) and as the policies see the caller. */
export interface PublicUser extends Actor {
  username: string;
  displayName: string;
  mustChangePassword: boolean;
  /** Two-factor sign-in (TOTP) is on. */
  totpEnabled: boolean;
  /** Must turn on two-factor sign-in before anything but /api/auth/* (BUREAU_TOTP_REQUIRED). */
  mustEnrollTotp: boolean;
}

/** The account as the API shows it; never the password hash or the TOTP secret. */
export function toPublicUser(row: UserRow, policy: { bureauTotpRequired: boolean }): PublicUser {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    displayName: row.displayName,
    mustChangePassword: row.mustChangePassword,
    totpEnabled: row.totpEnabledAt !== null,
    mustEnrollTotp: mustEnrollTotp(row, policy),
    highSchoolId: row.highSchoolId,
    juniorSchoolId: row.juniorSchoolId,
    studentId: row.studentId,
    regionCode: row.regionCode,
  };
}

/** A signed-in session: a short-lived access token and the refresh token that renews it. */
export interface Session {
  token: string;
  expiresAt: Date;
  /** Opaque; exchanged once at POST /api/auth/refresh for a new session. */
  refreshToken: string;
  refreshExpiresAt: Date;
  user: PublicUser;
}

/** The answer to the password step: a session, or a challenge to answer with a TOTP code. */
export type LoginResult = { mfaRequired: false; session: Session } | { mfaRequired: true; mfaToken: string; expiresAt: Date };

export interface AuthServiceDeps {
  uow: UnitOfWork;
  tokens: TokenService;
  passwords: PasswordHasher;
  clock: Clock;
  /** Lifetime of a refresh token, in seconds (REFRESH_TTL). */
  refreshTtlSeconds: number;
  /** BUREAU_TOTP_REQUIRED. */
  bureauTotpRequired: boolean;
  /** Opens the stored TOTP secrets. */
  secretBox: SecretBox;
  lockout?: LockoutPolicy;
  /** Waits before answering a failed sign-in; injectable so tests can skip it. */
  sleep?: (ms: number) => Promise<void>;
}

/** Roles whose sign-in, sign-out and password changes go to the audit log (they can change everything). */
const AUDITED_ROLES: ReadonlySet<string> = new Set(['bureau']);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sign-in (password, then a TOTP code where two-factor sign-in is on),
 * session renewal, sign-out, password change and token checks. Throws
 * AppError only: INVALID_CREDENTIALS (same for an unknown user and a wrong
 * password), ACCOUNT_LOCKED, UNAUTHENTICATED, SESSION_EXPIRED,
 * REFRESH_TOKEN_REUSED, MFA_CHALLENGE_EXPIRED, INVALID_TOTP_CODE,
 * TOTP_CODE_REPLAYED, WRONG_PASSWORD, PASSWORD_TOO_WEAK.
 *
 * Tokens, refresh tokens, TOTP secrets and codes never reach a log or the audit log.
 */
export function createAuthService(deps: AuthServiceDeps) {
  const { uow, tokens, passwords, clock, secretBox } = deps;
  const lockout = deps.lockout ?? DEFAULT_LOCKOUT_POLICY;
  const sleep = deps.sleep ?? defaultSleep;
  const policy = { bureauTotpRequired: deps.bureauTotpRequired };

  /**
   * A new session for `user`: an access token and a refresh token, of a new
   * family at sign-in or of `familyId` when renewing. Call inside the
   * transaction that makes the sign-in or the renewal.
   */
  async function issue(repos: Repositories, user: UserRow, now: Date, familyId: string = randomUUID()): Promise<Session & { refreshTokenId: string }> {
    const { token, expiresAt } = tokens.sign({ userId: user.id, tokenVersion: user.tokenVersion });
    const refresh = newRefreshToken();
    const refreshExpiresAt = new Date(now.getTime() + deps.refreshTtlSeconds * 1000);
    const row = await repos.refreshTokens.create({
      userId: user.id,
      familyId,
      tokenHash: refresh.hash,
      tokenVersion: user.tokenVersion,
      expiresAt: refreshExpiresAt,
      createdAt: now,
    });
    return { token, expiresAt, refreshToken: refresh.token, refreshExpiresAt, refreshTokenId: row.id, user: toPublicUser(user, policy) };
  }

  /** The password (and, where on, the code) were right: clear the failures, log it, open a session. */
  async function completeSignIn(user: UserRow, now: Date, props: { requestId?: string; secondFactor: boolean }): Promise<Session> {
    const { refreshTokenId: _, ...session } = await uow.transaction(async (tx, repos) => {
      await repos.users.recordSuccessfulLogin(user.id);
      await repos.refreshTokens.deleteExpiredOfUser(user.id, now);
      const issued = await issue(repos, { ...user, failedLogins: 0, lockedUntil: null }, now);
      // Last: an audit entry holds the audit chain's lock until the transaction commits.
      if (AUDITED_ROLES.has(user.role)) {
        await recordAudit(tx, {
          actor: user,
          action: 'auth.login',
          entity: 'User',
          entityId: user.id,
          after: props.secondFactor ? { secondFactor: 'totp' } : undefined,
          requestId: props.requestId,
          at: now,
        });
      }
      return issued;
    });
    return session;
  }

  /**
   * A wrong or replayed TOTP code at sign-in: counts as a failed sign-in
   * (so guessing codes locks the account like guessing passwords), goes to
   * the audit log, and is answered slowly.
   */
  async function secondFactorFailed(user: UserRow, now: Date, reason: 'wrong_code' | 'replayed_code', requestId?: string): Promise<void> {
    const counted = await uow.repos.users.recordFailedLogin(user, now, lockout);
    const locked = isLocked(counted.lockedUntil, now);
    await uow.transaction(async (tx) => {
      await recordAudit(tx, {
        actor: null,
        action: 'auth.totp_verify_failure',
        entity: 'User',
        entityId: user.id,
        after: { reason, failedLogins: counted.failedLogins },
        requestId,
        at: now,
      });
      if (locked) {
        await recordAudit(tx, {
          actor: null,
          action: 'auth.lock',
          entity: 'User',
          entityId: user.id,
          after: { failedLogins: counted.failedLogins, lockedUntil: counted.lockedUntil },
          requestId,
          at: now,
        });
      }
    });
    if (locked) throw lockedError(counted.lockedUntil!, now);
    await sleep(failureDelayMs(counted.failedLogins, lockout));
  }

  /**
   * A wrong password (or activation code): counted toward the lock, then
   * answered after the growing delay. Throws ACCOUNT_LOCKED (after an audit
   * entry) when this failure locks the account.
   */
  async function credentialFailed(user: UserRow, now: Date, requestId?: string): Promise<void> {
    const counted = await uow.repos.users.recordFailedLogin(user, now, lockout);
    if (isLocked(counted.lockedUntil, now)) {
      await uow.transaction((tx) =>
        recordAudit(tx, {
          actor: null,
          action: 'auth.lock',
          entity: 'User',
          entityId: user.id,
          after: { failedLogins: counted.failedLogins, lockedUntil: counted.lockedUntil },
          requestId,
          at: now,
        }),
      );
      throw lockedError(counted.lockedUntil!, now);
    }
    await sleep(failureDelayMs(counted.failedLogins, lockout));
  }

  function lockedError(lockedUntil: Date, now: Date): AppError {
    return new AppError('ACCOUNT_LOCKED', {
      params: { minutes: minutesLeft(lockedUntil, now) },
      details: { lockedUntil: lockedUntil.toISOString() },
    });
  }

  return {
    /**
     * Checks a username and password and returns a session, or, for an
     * account with two-factor sign-in on, a 5-minute challenge to answer with
     * a code at `verifyTotp`. Repeated failures are answered more and more
     * slowly, then lock the account (`lockout.maxFailures` in a row -> locked
     * `lockout.lockMinutes`).
     */
    async login(props: { username: string; password: string; requestId?: string }): Promise<LoginResult> {
      const now = clock.now();
      const user = await uow.repos.users.findByUsername(props.username.trim());
      if (!user) {
        // Same work and the same answer as a wrong password: no hint that the name is free.
        await passwords.verify(await timingDummyHash(), props.password);
        await sleep(failureDelayMs(1, lockout));
        throw new AppError('INVALID_CREDENTIALS');
      }
      if (isLocked(user.lockedUntil, now)) throw lockedError(user.lockedUntil!, now);

      if (!(await passwords.verify(user.passwordHash, props.password))) {
        await credentialFailed(user, now, props.requestId);
        throw new AppError('INVALID_CREDENTIALS');
      }

      if (needsSecondFactor(user)) {
        // The failure count stays until the code is right too: a known
        // password must not reset the count of wrong codes.
        const challenge = tokens.signMfaChallenge({ userId: user.id, tokenVersion: user.tokenVersion });
        return { mfaRequired: true, mfaToken: challenge.token, expiresAt: challenge.expiresAt };
      }
      return { mfaRequired: false, session: await completeSignIn(user, now, { requestId: props.requestId, secondFactor: false }) };
    },

    /**
     * The second step of a two-factor sign-in: the challenge from `login` and
     * the code of the user's authenticator app (RFC 6238, ±1 step). A wrong
     * code counts toward the lockout; a code already accepted is refused.
     */
    async verifyTotp(props: { mfaToken: string; code: string; requestId?: string }): Promise<Session> {
      const claims = tokens.verifyMfaChallenge(props.mfaToken);
      const now = clock.now();
      const user = await uow.repos.users.findById(claims.userId);
      // Logout, a password change or turning TOTP off since the password step ends the challenge.
      if (!user || user.tokenVersion !== claims.tokenVersion || !needsSecondFactor(user)) throw new AppError('MFA_CHALLENGE_EXPIRED');
      if (isLocked(user.lockedUntil, now)) throw lockedError(user.lockedUntil!, now);

      const step = matchTotp({ secret: openTotpSecret(secretBox, user.totpSecret!), code: props.code, at: now });
      if (step === null) {
        await secondFactorFailed(user, now, 'wrong_code', props.requestId);
        throw new AppError('INVALID_TOTP_CODE', { field: 'code' });
      }
      if (!isFreshTotpStep(step, user.totpLastStep) || !(await uow.repos.users.claimTotpStep(user.id, step))) {
        await secondFactorFailed(user, now, 'replayed_code', props.requestId);
        throw new AppError('TOTP_CODE_REPLAYED', { field: 'code' });
      }
      return completeSignIn(user, now, { requestId: props.requestId, secondFactor: true });
    },

    /**
     * Exchanges a refresh token for a new session (rotation): the token is
     * marked used and the new refresh token continues its family. A used
     * token presented again, or two requests racing with one token, is
     * treated as theft: the whole family is revoked (REFRESH_TOKEN_REUSED).
     * Unknown, revoked or expired tokens: SESSION_EXPIRED.
     */
    async refresh(props: { refreshToken: string; requestId?: string }): Promise<Session> {
      const stored = await uow.repos.refreshTokens.findByHash(hashRefreshToken(props.refreshToken));
      if (!stored) throw new AppError('SESSION_EXPIRED');
      const now = clock.now();
      const user = await uow.repos.users.findById(stored.userId);

      const revokeFamily = async (): Promise<never> => {
        await uow.transaction(async (tx, repos) => {
          const revoked = await repos.refreshTokens.revokeFamily(stored.familyId, now);
          await recordAudit(tx, {
            actor: null,
            action: 'auth.refresh_reuse',
            entity: 'User',
            entityId: stored.userId,
            after: { familyId: stored.familyId, revoked },
            requestId: props.requestId,
            at: now,
          });
        });
        throw new AppError('REFRESH_TOKEN_REUSED');
      };

      const verdict = refreshTokenVerdict(stored, { now, userTokenVersion: user?.tokenVersion ?? null });
      if (verdict === 'reused') return revokeFamily();
      if (verdict !== 'valid' || !user) throw new AppError('SESSION_EXPIRED');

      const renewed = await uow.transaction(async (_tx, repos) => {
        if (!(await repos.refreshTokens.markUsed(stored.id, now))) return null;
        const { refreshTokenId, ...session } = await issue(repos, user, now, stored.familyId);
        await repos.refreshTokens.setReplacedBy(stored.id, refreshTokenId);
        return session;
      });
      // Another request used the same token a moment ago: the same as reuse.
      if (!renewed) return revokeFamily();
      return renewed;
    },

    /**
     * The caller behind a token: verifies it, then checks the user still
     * exists and the token version is current (logout revokes).
     */
    async authenticate(token: string): Promise<PublicUser> {
      const claims = tokens.verify(token);
      const user = await uow.repos.users.findForSession(claims.userId);
      if (!user || user.tokenVersion !== claims.tokenVersion) throw new AppError('SESSION_EXPIRED');
      return toPublicUser(user, policy);
    },

    /** Ends every session of the caller: all access and refresh tokens issued so far stop working. */
    async logout(actor: PublicUser, props: { requestId?: string } = {}): Promise<void> {
      await uow.transaction(async (tx, repos) => {
        await repos.users.bumpTokenVersion(actor.id);
        await repos.refreshTokens.revokeAllOfUser(actor.id, clock.now());
        if (AUDITED_ROLES.has(actor.role)) {
          await recordAudit(tx, {
            actor,
            action: 'auth.logout',
            entity: 'User',
            entityId: actor.id,
            requestId: props.requestId,
            at: clock.now(),
          });
        }
      });
    },

    /**
     * Changes the caller's password after checking the current one and the
     * strength rule; clears `mustChangePassword`, revokes older access and
     * refresh tokens and returns a fresh session.
     */
    async changePassword(
      actor: PublicUser,
      props: { currentPassword: string; newPassword: string; requestId?: string },
    ): Promise<Session> {
      const user = await uow.repos.users.findById(actor.id);
      if (!user) throw new AppError('SESSION_EXPIRED');
      if (!(await passwords.verify(user.passwordHash, props.currentPassword))) {
        await sleep(failureDelayMs(1, lockout));
        throw new AppError('WRONG_PASSWORD', { field: 'currentPassword' });
      }
      const problem = passwordProblem(props.newPassword, { username: user.username, currentPassword: props.currentPassword });
      if (problem) throw new AppError('PASSWORD_TOO_WEAK', { field: 'newPassword', details: { reason: problem } });

      const passwordHash = await passwords.hash(props.newPassword);
      const now = clock.now();
      const { refreshTokenId: _, ...session } = await uow.transaction(async (tx, repos) => {
        const row = await repos.users.updatePassword(user.id, passwordHash);
        await repos.refreshTokens.revokeAllOfUser(user.id, now);
        const issued = await issue(repos, row, now);
        await recordAudit(tx, {
          actor: user,
          action: 'auth.password_change',
          entity: 'User',
          entityId: user.id,
          before: { mustChangePassword: user.mustChangePassword },
          after: { mustChangePassword: false },
          requestId: props.requestId,
          at: now,
        });
        return issued;
      });
      return session;
    },

    /**
     * For other ways of proving who one is (activation codes,
     * account.service.ts): ACCOUNT_LOCKED when the account is locked now.
     */
    assertNotLocked(user: UserRow): void {
      const now = clock.now();
      if (isLocked(user.lockedUntil, now)) throw lockedError(user.lockedUntil!, now);
    },

    /**
     * A wrong activation code, throttled exactly like a wrong password: for
     * an account, counted toward its lock (ACCOUNT_LOCKED when this failure
     * locks it); for no account, the same first delay. Returns when the caller
     * may answer the failure.
     */
    async credentialFailed(user: UserRow | null, props: { requestId?: string } = {}): Promise<void> {
      if (!user) return sleep(failureDelayMs(1, lockout));
      return credentialFailed(user, clock.now(), props.requestId);
    },

    /**
     * Signs in an account whose password was just set another way (an
     * activation code): a session, or the TOTP challenge where two-factor
     * sign-in is on, exactly as `login` answers.
     */
    async signInVerified(userId: string, props: { requestId?: string } = {}): Promise<LoginResult> {
      const user = await uow.repos.users.findById(userId);
      if (!user) throw new AppError('SESSION_EXPIRED');
      if (needsSecondFactor(user)) {
        const challenge = tokens.signMfaChallenge({ userId: user.id, tokenVersion: user.tokenVersion });
        return { mfaRequired: true, mfaToken: challenge.token, expiresAt: challenge.expiresAt };
      }
      return { mfaRequired: false, session: await completeSignIn(user, clock.now(), { requestId: props.requestId, secondFactor: false }) };
    },

    /** The caller's own account, fresh from the database. */
    async me(actor: Actor): Promise<PublicUser> {
      const user = await uow.repos.users.findById(actor.id);
      if (!user) throw new AppError('SESSION_EXPIRED');
      return toPublicUser(user, policy);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
