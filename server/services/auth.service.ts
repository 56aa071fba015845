import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { UserRow } from '../repositories/user.repository';
import { recordAudit } from './audit.service';
import {
  DEFAULT_LOCKOUT_POLICY,
  failureDelayMs,
  isLocked,
  minutesLeft,
  passwordProblem,
  type LockoutPolicy,
} from './auth.rules';
import { timingDummyHash, type PasswordHasher } from './passwords';
import type { TokenService } from './tokens';

/** The account as the API shows it (to its owner) and as the policies see the caller. */
export interface PublicUser extends Actor {
  username: string;
  displayName: string;
  mustChangePassword: boolean;
}

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    displayName: row.displayName,
    mustChangePassword: row.mustChangePassword,
    highSchoolId: row.highSchoolId,
    juniorSchoolId: row.juniorSchoolId,
    studentId: row.studentId,
    regionCode: row.regionCode,
  };
}

export interface Session {
  token: string;
  expiresAt: Date;
  user: PublicUser;
}

export interface AuthServiceDeps {
  uow: UnitOfWork;
  tokens: TokenService;
  passwords: PasswordHasher;
  clock: Clock;
  lockout?: LockoutPolicy;
  /** Waits before answering a failed sign-in; injectable so tests can skip it. */
  sleep?: (ms: number) => Promise<void>;
}

/** Roles whose sign-in, sign-out and password changes go to the audit log (they can change everything). */
const AUDITED_ROLES: ReadonlySet<string> = new Set(['bureau']);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sign-in, sign-out, password change and token checks. Throws AppError only:
 * INVALID_CREDENTIALS (same for an unknown user and a wrong password),
 * ACCOUNT_LOCKED, UNAUTHENTICATED, SESSION_EXPIRED, WRONG_PASSWORD, PASSWORD_TOO_WEAK.
 */
export function createAuthService(deps: AuthServiceDeps) {
  const { uow, tokens, passwords, clock } = deps;
  const lockout = deps.lockout ?? DEFAULT_LOCKOUT_POLICY;
  const sleep = deps.sleep ?? defaultSleep;

  function issue(user: UserRow): Session {
    const { token, expiresAt } = tokens.sign({ userId: user.id, tokenVersion: user.tokenVersion });
    return { token, expiresAt, user: toPublicUser(user) };
  }

  function lockedError(lockedUntil: Date, now: Date): AppError {
    return new AppError('ACCOUNT_LOCKED', {
      params: { minutes: minutesLeft(lockedUntil, now) },
      details: { lockedUntil: lockedUntil.toISOString() },
    });
  }

  return {
    /**
     * Checks a username and password and returns a token. Repeated failures
     * are answered more and more slowly, then lock the account
     * (`lockout.maxFailures` in a row -> locked `lockout.lockMinutes`).
     */
    async login(props: { username: string; password: string; requestId?: string }): Promise<Session> {
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
        const counted = await uow.repos.users.recordFailedLogin(user, now, lockout);
        if (isLocked(counted.lockedUntil, now)) {
          await uow.transaction((tx) =>
            recordAudit(tx, {
              actor: null,
              action: 'auth.lock',
              entity: 'User',
              entityId: user.id,
              after: { failedLogins: counted.failedLogins, lockedUntil: counted.lockedUntil },
              requestId: props.requestId,
              at: now,
            }),
          );
          throw lockedError(counted.lockedUntil!, now);
        }
        await sleep(failureDelayMs(counted.failedLogins, lockout));
        throw new AppError('INVALID_CREDENTIALS');
      }

      await uow.transaction(async (tx, repos) => {
        await repos.users.recordSuccessfulLogin(user.id);
        if (AUDITED_ROLES.has(user.role)) {
          await recordAudit(tx, {
            actor: user,
            action: 'auth.login',
            entity: 'User',
            entityId: user.id,
            requestId: props.requestId,
            at: now,
          });
        }
      });
      return issue({ ...user, failedLogins: 0, lockedUntil: null });
    },

    /**
     * The caller behind a token: verifies it, then checks the user still
     * exists and the token version is current (logout revokes).
     */
    async authenticate(token: string): Promise<PublicUser> {
      const claims = tokens.verify(token);
      const user = await uow.repos.users.findById(claims.userId);
      if (!user || user.tokenVersion !== claims.tokenVersion) throw new AppError('SESSION_EXPIRED');
      return toPublicUser(user);
    },

    /** Ends every session of the caller: all tokens issued so far stop working. */
    async logout(actor: PublicUser, props: { requestId?: string } = {}): Promise<void> {
      await uow.transaction(async (tx, repos) => {
        await repos.users.bumpTokenVersion(actor.id);
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
     * strength rule; clears `mustChangePassword`, revokes older tokens and
     * returns a fresh session.
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
      const updated = await uow.transaction(async (tx, repos) => {
        const row = await repos.users.updatePassword(user.id, passwordHash);
        await recordAudit(tx, {
          actor: user,
          action: 'auth.password_change',
          entity: 'User',
          entityId: user.id,
          before: { mustChangePassword: user.mustChangePassword },
          after: { mustChangePassword: false },
          requestId: props.requestId,
          at: clock.now(),
        });
        return row;
      });
      return issue(updated);
    },

    /** The caller's own account, fresh from the database. */
    async me(actor: Actor): Promise<PublicUser> {
      const user = await uow.repos.users.findById(actor.id);
      if (!user) throw new AppError('SESSION_EXPIRED');
      return toPublicUser(user);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
