import type { User } from '../db';
import { failuresBefore, lockAfterFailure, type LockoutPolicy } from '../services/auth.rules';
import type { Db } from './index';

export type UserRow = User;

/** Persistence of accounts: sign-in counters, token versions, passwords. */
export function createUserRepository(db: Db) {
  return {
    findById(id: string): Promise<UserRow | null> {
      return db.user.findUnique({ where: { id } });
    },

    /**
     * The account behind an access token, on every request: the one user read
     * the API's read cache may serve (sign-in, TOTP and password checks read
     * fresh with `findById`).
     */
    findForSession(id: string): Promise<UserRow | null> {
      return db.user.findUnique({ where: { id } });
    },

    findByUsername(username: string): Promise<UserRow | null> {
      return db.user.findUnique({ where: { username } });
    },

    /**
     * Counts a failed sign-in and locks the account when the count reaches the
     * policy's limit. The increment is atomic, so concurrent guesses cannot
     * slip past the limit; a lock that ran out restarts the count first.
     */
    async recordFailedLogin(user: Pick<UserRow, 'id' | 'failedLogins' | 'lockedUntil'>, now: Date, policy: LockoutPolicy) {
      if (failuresBefore(user.failedLogins, user.lockedUntil, now) === 0 && user.lockedUntil !== null) {
        await db.user.updateMany({ where: { id: user.id, lockedUntil: { lte: now } }, data: { failedLogins: 0, lockedUntil: null } });
      }
      const counted = await db.user.update({
        where: { id: user.id },
        data: { failedLogins: { increment: 1 } },
        select: { failedLogins: true, lockedUntil: true },
      });
      const lockUntil = lockAfterFailure(counted.failedLogins, now, policy);
      if (lockUntil && !(counted.lockedUntil && counted.lockedUntil > now)) {
        await db.user.update({ where: { id: user.id }, data: { lockedUntil: lockUntil } });
        return { failedLogins: counted.failedLogins, lockedUntil: lockUntil };
      }
      return counted;
    },

    /** Clears the failure count and any ended lock after a successful sign-in. */
    async recordSuccessfulLogin(id: string): Promise<void> {
      await db.user.updateMany({
        where: { id, OR: [{ failedLogins: { not: 0 } }, { lockedUntil: { not: null } }] },
        data: { failedLogins: 0, lockedUntil: null },
      });
    },

    /** Revokes every token issued so far; returns the new version. */
    async bumpTokenVersion(id: string): Promise<number> {
      const row = await db.user.update({ where: { id }, data: { tokenVersion: { increment: 1 } }, select: { tokenVersion: true } });
      return row.tokenVersion;
    },

    /**
     * Accepts a TOTP time step only if it is later than the last one
     * accepted: one conditional UPDATE, so a code cannot be used twice, not
     * even by two requests at once. Returns false for a replay.
     */
    async claimTotpStep(id: string, step: number): Promise<boolean> {
      const { count } = await db.user.updateMany({
        where: { id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
        data: { totpLastStep: step },
      });
      return count === 1;
    },

    /** Stores a new (encrypted) TOTP secret while two-factor sign-in is off; false when it is on. */
    async setPendingTotpSecret(id: string, sealedSecret: string): Promise<boolean> {
      const { count } = await db.user.updateMany({
        where: { id, totpEnabledAt: null },
        data: { totpSecret: sealedSecret, totpLastStep: null },
      });
      return count === 1;
    },

    /** Turns two-factor sign-in on with the set-up secret; `step` is the code that confirmed it. */
    async enableTotp(id: string, at: Date, step: number): Promise<UserRow | null> {
      const { count } = await db.user.updateMany({
        where: { id, totpEnabledAt: null, totpSecret: { not: null } },
        data: { totpEnabledAt: at, totpLastStep: step },
      });
      return count === 1 ? db.user.findUnique({ where: { id } }) : null;
    },

    disableTotp(id: string): Promise<UserRow> {
      return db.user.update({ where: { id }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } });
    },

    /** A new account (e.g. the first city-bureau account, made by `npm run accounts:bootstrap`). */
    create(data: { username: string; passwordHash: string; role: UserRow['role']; displayName: string; regionCode?: string | null; createdAt: Date }): Promise<UserRow> {
      return db.user.create({ data });
    },

    /** Sets a new password hash, clears `mustChangePassword` and revokes older tokens. */
    updatePassword(id: string, passwordHash: string): Promise<UserRow> {
      return db.user.update({
        where: { id },
        data: { passwordHash, mustChangePassword: false, tokenVersion: { increment: 1 }, failedLogins: 0, lockedUntil: null },
      });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
