import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { Actor } from '../policies';
import type { Repositories, UnitOfWork } from '../repositories';
import type { UserRow } from '../repositories/user.repository';
import {
  DEFAULT_SIGN_IN_THROTTLE,
  mustEnrollTotp,
  needsSecondFactor,
  passwordProblem,
  retryAfterSeconds,
  signInCountName,
  signInGate,
  type SignInThrottlePolicy,
} from '../domain/auth/auth.rules';
import { timingDummyHash, type PasswordHasher } from './passwords';
import { hashRefreshToken, newRefreshToken, refreshTokenVerdict } from './refresh-tokens';
import type { SecretBox } from './secret-box';
import type { TokenService } from '../infra/tokens';
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
    kindergartenId: row.kindergartenId,
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
  uow: UnitOfWork<'audit' | 'refreshTokens' | 'signInFailures' | 'users'>;
  tokens: TokenService;
  passwords: PasswordHasher;
  clock: Clock;
  /** Lifetime of a refresh token, in seconds (REFRESH_TTL). */
  refreshTtlSeconds: number;
  /** BUREAU_TOTP_REQUIRED. */
  bureauTotpRequired: boolean;
  /** Opens the stored TOTP secrets. */
  secretBox: SecretBox;
  /** The throttle of failed sign-ins (auth.rules.ts); tests shorten it. */
  throttle?: SignInThrottlePolicy;
  /**
   * Keys the names failed sign-ins are counted under (HMAC-SHA256): what a
   * person types as a username may be their 身份证号, which must not be stored.
   * The same in every API process (the app passes JWT_SECRET).
   */
  nameKey: string;
  /** Waits the throttle's delay before checking an attempt; injectable so tests can skip it. */
  sleep?: (ms: number) => Promise<void>;
}

/** Roles whose sign-in, sign-out and password changes go to the audit log (they can change everything). */
const AUDITED_ROLES: ReadonlySet<string> = new Set(['bureau']);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sign-in (password, then a TOTP code where two-factor sign-in is on),
 * session renewal, sign-out, password change and token checks. Throws
 * AppError only: INVALID_CREDENTIALS (same for an unknown user and a wrong
 * password), SIGN_IN_THROTTLED, UNAUTHENTICATED, SESSION_EXPIRED,
 * REFRESH_TOKEN_REUSED, MFA_CHALLENGE_EXPIRED, INVALID_TOTP_CODE,
 * TOTP_CODE_REPLAYED, WRONG_PASSWORD, PASSWORD_TOO_WEAK.
 *
 * Tokens, refresh tokens, TOTP secrets and codes never reach a log or the audit log.
 */
export function createAuthService(deps: AuthServiceDeps) {
  const { uow, tokens, passwords, clock, secretBox } = deps;
  const throttle = deps.throttle ?? DEFAULT_SIGN_IN_THROTTLE;
  const sleep = deps.sleep ?? defaultSleep;
  const policy = { bureauTotpRequired: deps.bureauTotpRequired };

  /**
   * A new session for `user`: an access token and a refresh token, of a new
   * family at sign-in or of `familyId` when renewing. Call inside the
   * transaction that makes the sign-in or the renewal.
   */
  async function issue(repos: Pick<Repositories, 'refreshTokens'>, user: UserRow, now: Date, familyId: string = randomUUID()): Promise<Session & { refreshTokenId: string }> {
    const { token, expiresAt } = tokens.sign({ userId: user.id, tokenVersion: user.tokenVersion, sessionId: familyId });
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

  /**
   * Lets an attempt for `username` from `clientAddress` be checked, or not:
   * SIGN_IN_THROTTLED (429, Retry-After) while the address must wait after
   * its failures for that name, without looking at the credential; otherwise
   * returns after the account-wide delay. Depends on the name as typed only,
   * never on whether the account exists.
   */
  /** The name a failure is counted under: keyed, never the text as typed (an ID number typed by mistake stays unreadable). */
  const countedName = (username: string) => signInCountName(deps.nameKey, username);

  async function admitAttempt(username: string, clientAddress: string): Promise<void> {
    const counts = await uow.repos.signInFailures.listForUsername(countedName(username));
    const gate = signInGate(counts, clientAddress, clock.now(), throttle);
    if (!gate.allowed) {
      const seconds = retryAfterSeconds(gate.retryAfterMs);
      throw new AppError('SIGN_IN_THROTTLED', { params: { seconds }, details: { retryAfterSeconds: seconds } });
    }
    if (gate.delayMs > 0) await sleep(gate.delayMs);
  }

  /** Counts a failed attempt (password, activation code or TOTP code) for `username` from `clientAddress`; returns the address's count. */
  function countFailure(username: string, clientAddress: string): Promise<number> {
    const now = clock.now();
    return uow.repos.signInFailures.recordFailure({
      username: countedName(username),
      address: clientAddress,
      at: now,
      forgetBefore: new Date(now.getTime() - throttle.forgetAfterMs),
    });
  }

  /** The password (and, where on, the code) were right: forget this address's failures, log it, open a session. */
  async function completeSignIn(user: UserRow, now: Date, props: { requestId?: string; secondFactor: boolean; clientAddress: string }): Promise<Session> {
    const { refreshTokenId: _, ...session } = await uow.transaction(async (repos) => {
      // Only this address's: another address's failures (someone guessing) keep slowing that address down.
      await repos.signInFailures.clear(countedName(user.username), props.clientAddress);
      await repos.refreshTokens.deleteExpiredOfUser(user.id, now);
      const issued = await issue(repos, user, now);
      // Last: an audit entry holds the audit chain's lock until the transaction commits.
      if (AUDITED_ROLES.has(user.role)) {
        await repos.audit.record({
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
   * A wrong or replayed TOTP code at sign-in: counts as a failed sign-in from
   * the address (so guessing codes is throttled like guessing passwords) and
   * goes to the audit log.
   */
  async function secondFactorFailed(
    user: UserRow,
    now: Date,
    props: { reason: 'wrong_code' | 'replayed_code'; clientAddress: string; requestId?: string },
  ): Promise<void> {
    const failures = await countFailure(user.username, props.clientAddress);
    await uow.transaction((repos) =>
      repos.audit.record({
        actor: null,
        action: 'auth.totp_verify_failure',
        entity: 'User',
        entityId: user.id,
        after: { reason: props.reason, failures },
        requestId: props.requestId,
        at: now,
      }),
    );
  }

  /** A new session of `familyId` for a refresh token presented again by a concurrent request (see REFRESH_REUSE_GRACE_MS). */
  async function renewConcurrent(user: UserRow, familyId: string, now: Date): Promise<Session> {
    return uow.transaction(async (repos) => {
      const { refreshTokenId: _, ...session } = await issue(repos, user, now, familyId);
      // A reuse detected meanwhile ended the family: this session would not work, so none is made.
      if (await repos.refreshTokens.isFamilyRevoked(familyId)) throw new AppError('REFRESH_TOKEN_REUSED');
      return session;
    });
  }

  return {
    /**
     * Checks a username and password and returns a session, or, for an
     * account with two-factor sign-in on, a 5-minute challenge to answer with
     * a code at `verifyTotp`. Throttled per (username, client address), never
     * locked (auth.rules.ts): an unknown name gets the same answers, after
     * the same work, as a wrong password.
     */
    async login(props: { username: string; password: string; clientAddress: string; requestId?: string }): Promise<LoginResult> {
      const username = props.username.trim();
      await admitAttempt(username, props.clientAddress);
      const user = await uow.repos.users.findByUsername(username);
      // For no account, the same work (a hash check) and the same answer as a wrong password.
      const passwordRight = await passwords.verify(user?.passwordHash ?? (await timingDummyHash()), props.password);
      if (!user || !passwordRight) {
        await countFailure(username, props.clientAddress);
        throw new AppError('INVALID_CREDENTIALS');
      }

      if (needsSecondFactor(user)) {
        // The address's failures stay until the code is right too: a known
        // password must not reset the count of wrong codes.
        const challenge = tokens.signMfaChallenge({ userId: user.id, tokenVersion: user.tokenVersion });
        return { mfaRequired: true, mfaToken: challenge.token, expiresAt: challenge.expiresAt };
      }
      const now = clock.now();
      return { mfaRequired: false, session: await completeSignIn(user, now, { requestId: props.requestId, secondFactor: false, clientAddress: props.clientAddress }) };
    },

    /**
     * The second step of a two-factor sign-in: the challenge from `login` and
     * the code of the user's authenticator app (RFC 6238, ±1 step). A wrong
     * code counts as a failed sign-in from the address (throttled like a
     * password); a code already accepted is refused.
     */
    async verifyTotp(props: { mfaToken: string; code: string; clientAddress: string; requestId?: string }): Promise<Session> {
      const claims = tokens.verifyMfaChallenge(props.mfaToken);
      const user = await uow.repos.users.findById(claims.userId);
      // Logout, a password change or turning TOTP off since the password step ends the challenge.
      if (!user || user.tokenVersion !== claims.tokenVersion || !needsSecondFactor(user)) throw new AppError('MFA_CHALLENGE_EXPIRED');
      await admitAttempt(user.username, props.clientAddress);
      const now = clock.now();

      const step = matchTotp({ secret: openTotpSecret(secretBox, user.totpSecret!), code: props.code, at: now });
      if (step === null) {
        await secondFactorFailed(user, now, { reason: 'wrong_code', clientAddress: props.clientAddress, requestId: props.requestId });
        throw new AppError('INVALID_TOTP_CODE', { field: 'code' });
      }
      if (!isFreshTotpStep(step, user.totpLastStep) || !(await uow.repos.users.claimTotpStep(user.id, step))) {
        await secondFactorFailed(user, now, { reason: 'replayed_code', clientAddress: props.clientAddress, requestId: props.requestId });
        throw new AppError('TOTP_CODE_REPLAYED', { field: 'code' });
      }
      return completeSignIn(user, now, { requestId: props.requestId, secondFactor: true, clientAddress: props.clientAddress });
    },

    /**
     * Exchanges a refresh token for a new session (rotation): the token is
     * marked used and the new refresh token continues its family. The same
     * token presented again within REFRESH_REUSE_GRACE_MS of its first use
     * (two tabs refreshing at once) gets another session of the family; later,
     * it is treated as theft: the whole family, with its access tokens, is
     * revoked (REFRESH_TOKEN_REUSED). Unknown, revoked or expired tokens:
     * SESSION_EXPIRED.
     */
    async refresh(props: { refreshToken: string; requestId?: string }): Promise<Session> {
      const tokenHash = hashRefreshToken(props.refreshToken);
      const stored = await uow.repos.refreshTokens.findByHash(tokenHash);
      if (!stored) throw new AppError('SESSION_EXPIRED');
      const now = clock.now();
      const user = await uow.repos.users.findById(stored.userId);

      const revokeFamily = async (): Promise<never> => {
        await uow.transaction(async (repos) => {
          const revoked = await repos.refreshTokens.revokeFamily(stored.familyId, now);
          await repos.audit.record({
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
      const judge = async (token: typeof stored) =>
        refreshTokenVerdict(token, {
          now,
          userTokenVersion: user?.tokenVersion ?? null,
          familyRevoked: await uow.repos.refreshTokens.isFamilyRevoked(token.familyId),
        });

      let verdict = await judge(stored);
      if (verdict === 'valid' && user) {
        const renewed = await uow.transaction(async (repos) => {
          if (!(await repos.refreshTokens.markUsed(stored.id, now))) return null;
          const { refreshTokenId, ...session } = await issue(repos, user, now, stored.familyId);
          await repos.refreshTokens.setReplacedBy(stored.id, refreshTokenId);
          return session;
        });
        if (renewed) return renewed;
        // Another request used (or revoked) the token a moment ago: judge it as it is now.
        const current = await uow.repos.refreshTokens.findByHash(tokenHash);
        if (!current) throw new AppError('SESSION_EXPIRED');
        verdict = await judge(current);
      }
      if (verdict === 'concurrent' && user) return renewConcurrent(user, stored.familyId, now);
      if (verdict === 'reused') return revokeFamily();
      throw new AppError('SESSION_EXPIRED');
    },

    /**
     * The caller behind a token: verifies it, then checks the user still
     * exists, the token version is current (logout revokes) and the token's
     * sign-in was not revoked (a reused refresh token), in one read.
     */
    async authenticate(token: string): Promise<PublicUser> {
      const claims = tokens.verify(token);
      const user = await uow.repos.users.findForSession(claims.userId, claims.sessionId ?? null);
      if (!user || user.tokenVersion !== claims.tokenVersion || user.sessionRevoked) throw new AppError('SESSION_EXPIRED');
      return toPublicUser(user, policy);
    },

    /** Ends every session of the caller: all access and refresh tokens issued so far stop working. */
    async logout(actor: PublicUser, props: { requestId?: string } = {}): Promise<void> {
      await uow.transaction(async (repos) => {
        await repos.users.bumpTokenVersion(actor.id);
        await repos.refreshTokens.revokeAllOfUser(actor.id, clock.now());
        if (AUDITED_ROLES.has(actor.role)) {
          await repos.audit.record({
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
      props: { currentPassword: string; newPassword: string; clientAddress: string; requestId?: string },
    ): Promise<Session> {
      const user = await uow.repos.users.findById(actor.id);
      if (!user) throw new AppError('SESSION_EXPIRED');
      // A stolen access token must not become a way around the sign-in throttle.
      await admitAttempt(user.username, props.clientAddress);
      if (!(await passwords.verify(user.passwordHash, props.currentPassword))) {
        await countFailure(user.username, props.clientAddress);
        throw new AppError('WRONG_PASSWORD', { field: 'currentPassword' });
      }
      const problem = passwordProblem(props.newPassword, { username: user.username, currentPassword: props.currentPassword });
      if (problem) throw new AppError('PASSWORD_TOO_WEAK', { field: 'newPassword', details: { reason: problem } });

      const passwordHash = await passwords.hash(props.newPassword);
      const now = clock.now();
      const { refreshTokenId: _, ...session } = await uow.transaction(async (repos) => {
        const row = await repos.users.updatePassword(user.id, passwordHash);
        await repos.refreshTokens.revokeAllOfUser(user.id, now);
        const issued = await issue(repos, row, now);
        await repos.audit.record({
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
     * account.service.ts), before checking the proof: SIGN_IN_THROTTLED while
     * the address must wait, else returns after the account-wide delay. The
     * same throttle, and the same counts, as passwords.
     */
    admitAttempt(props: { username: string; clientAddress: string }): Promise<void> {
      return admitAttempt(props.username.trim(), props.clientAddress);
    },

    /** A wrong activation code: counted like a wrong password, for a real or an unknown name alike. */
    async credentialFailed(props: { username: string; clientAddress: string }): Promise<void> {
      await countFailure(props.username.trim(), props.clientAddress);
    },

    /**
     * Signs in an account whose password was just set another way (an
     * activation code): a session, or the TOTP challenge where two-factor
     * sign-in is on, exactly as `login` answers.
     */
    async signInVerified(userId: string, props: { clientAddress: string; requestId?: string }): Promise<LoginResult> {
      const user = await uow.repos.users.findById(userId);
      if (!user) throw new AppError('SESSION_EXPIRED');
      if (needsSecondFactor(user)) {
        const challenge = tokens.signMfaChallenge({ userId: user.id, tokenVersion: user.tokenVersion });
        return { mfaRequired: true, mfaToken: challenge.token, expiresAt: challenge.expiresAt };
      }
      return {
        mfaRequired: false,
        session: await completeSignIn(user, clock.now(), { requestId: props.requestId, secondFactor: false, clientAddress: props.clientAddress }),
      };
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
