import type { User } from '../db';
import type { Db } from './index';
import { hotQuery } from './application.repository';

export type UserRow = User;

/** The account behind an access token, and whether the token's sign-in (refresh token family) was revoked. */
export type SessionUserRow = UserRow & { sessionRevoked: boolean };

/** Every column of "User" (timestamps read as UTC instants) and whether the token's sign-in was revoked ($1 user, $2 session). */
const SESSION_USER_SQL = `
  SELECT u.id, u.username, u."passwordHash", u.role::text AS role, u."displayName", u."mustChangePassword", u."failedLogins",
         u."lockedUntil" AT TIME ZONE 'UTC' AS "lockedUntil", u."tokenVersion", u."totpSecret",
         u."totpEnabledAt" AT TIME ZONE 'UTC' AS "totpEnabledAt", u."totpLastStep", u."activatedAt" AT TIME ZONE 'UTC' AS "activatedAt",
         u."highSchoolId", u."juniorSchoolId", u."studentId", u."regionCode", u."kindergartenId", u."createdAt" AT TIME ZONE 'UTC' AS "createdAt",
         EXISTS (SELECT 1 FROM "RefreshToken" r WHERE r."familyId" = $2::text AND r."revokedAt" IS NOT NULL) AS "sessionRevoked"
  FROM "User" u WHERE u.id = $1`;

/** Persistence of accounts: token versions, passwords, TOTP. */
export function createUserRepository(db: Db) {
  return {
    findById(id: string): Promise<UserRow | null> {
      return db.user.findUnique({ where: { id } });
    },

    /**
     * The account behind an access token, on every request: the one user read
     * the API's read cache may serve (sign-in, TOTP and password checks read
     * fresh with `findById`). One statement also tells whether the token's
     * sign-in (`sessionId`, its refresh token family) was revoked, e.g. for a
     * reused refresh token: no extra round trip per request.
     */
    async findForSession(id: string, sessionId: string | null): Promise<SessionUserRow | null> {
      // A prepared statement on the pool (application.repository.ts hotQuery): every signed-in request runs it.
      const rows = await hotQuery<SessionUserRow>(db, { name: 'user.session', text: SESSION_USER_SQL, values: [id, sessionId] });
      return rows[0] ?? null;
    },

    findByUsername(username: string): Promise<UserRow | null> {
      return db.user.findUnique({ where: { username } });
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
        data: { passwordHash, mustChangePassword: false, tokenVersion: { increment: 1 } },
      });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
