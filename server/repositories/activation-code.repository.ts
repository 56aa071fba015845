import { Prisma } from '../db';
import type { Role } from '../policies';
import type { Db } from './index';

/** An account as the issuing rules see it (see policies/account.policy.ts), with what a slip shows. */
export interface IssuableAccount {
  id: string;
  username: string;
  role: Role;
  displayName: string;
  /** A school's region, the region of a student's junior school, a county bureau's region; null otherwise. */
  regionCode: string | null;
  /** A student's junior school (from the student record when it still exists), a junior school account's school. */
  juniorSchoolId: string | null;
}

export interface ActivationCodeInsert {
  userId: string;
  codeHash: string;
  expiresAt: Date;
  issuedBy: string | null;
  issuedAt: Date;
}

const CHUNK = 10_000;

/**
 * Accounts resolved against the current records: a student's junior school
 * comes from the student record (the account's copy is the fallback), a
 * school's region from the school.
 */
function selectAccounts(where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT u."id", u."username", u."role"::text AS "role", u."displayName",
      CASE
        WHEN u."role" IN ('student', 'junior') THEN COALESCE(j."regionCode", u."regionCode")
        WHEN u."role" = 'high' THEN COALESCE(h."regionCode", u."regionCode")
        ELSE u."regionCode"
      END AS "regionCode",
      CASE WHEN u."role" = 'student' THEN COALESCE(s."juniorSchoolId", u."juniorSchoolId") ELSE u."juniorSchoolId" END AS "juniorSchoolId"
    FROM "User" u
    LEFT JOIN "Student" s ON s."id" = u."studentId"
    LEFT JOIN "JuniorSchool" j ON j."id" = CASE WHEN u."role" = 'student' THEN COALESCE(s."juniorSchoolId", u."juniorSchoolId") ELSE u."juniorSchoolId" END
    LEFT JOIN "HighSchool" h ON h."id" = u."highSchoolId"
    WHERE ${where}
    ORDER BY u."username"`;
}

/**
 * Activation codes (one per account, stored as SHA-256 only) and the account
 * look-ups that issuing and activation need.
 */
export function createActivationCodeRepository(db: Db) {
  return {
    /** The accounts with these usernames (missing ones are simply absent). */
    accountsByUsernames(usernames: readonly string[]): Promise<IssuableAccount[]> {
      return db.$queryRaw<IssuableAccount[]>(selectAccounts(Prisma.sql`u."username" = ANY(${usernames as string[]}::text[])`));
    },

    /**
     * Every account of a role group: 'high' and 'junior' school accounts, or
     * 'county' bureau accounts (a bureau with a region); within `regionCode` when given.
     */
    async accountsOfRole(role: 'high' | 'junior' | 'county', regionCode: string | null): Promise<IssuableAccount[]> {
      const roleWhere = role === 'county' ? Prisma.sql`u."role" = 'bureau' AND u."regionCode" IS NOT NULL` : Prisma.sql`u."role" = ${role}::"Role"`;
      const rows = await db.$queryRaw<IssuableAccount[]>(selectAccounts(roleWhere));
      return regionCode === null ? rows : rows.filter((r) => r.regionCode === regionCode);
    },

    /**
     * The student accounts of a junior school's students in its current
     * cycle: the newest cycle (by year) holding students of that school.
     */
    studentAccountsOfJuniorSchool(juniorSchoolId: string): Promise<IssuableAccount[]> {
      return db.$queryRaw<IssuableAccount[]>(
        selectAccounts(Prisma.sql`u."role" = 'student' AND s."juniorSchoolId" = ${juniorSchoolId} AND s."cycleId" = (
          SELECT s2."cycleId" FROM "Student" s2 JOIN "Cycle" c ON c."id" = s2."cycleId"
          WHERE s2."juniorSchoolId" = ${juniorSchoolId} ORDER BY c."year" DESC LIMIT 1)`),
      );
    },

    juniorSchool(id: string): Promise<{ id: string; name: string; regionCode: string } | null> {
      return db.juniorSchool.findUnique({ where: { id }, select: { id: true, name: true, regionCode: true } });
    },

    /**
     * Stores new codes, replacing each account's earlier one (which stops
     * working): one `INSERT ... SELECT FROM unnest(...) ON CONFLICT` per 10,000.
     */
    async upsert(rows: readonly ActivationCodeInsert[]): Promise<void> {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const c = rows.slice(i, i + CHUNK);
        await db.$executeRaw`
          INSERT INTO "ActivationCode" ("userId", "codeHash", "expiresAt", "issuedBy", "issuedAt")
          SELECT u.uid, u.hash, u.exp, u.by, u.at
          FROM unnest(
            ${c.map((r) => r.userId)}::text[], ${c.map((r) => r.codeHash)}::text[], ${c.map((r) => r.expiresAt.toISOString())}::timestamp(3)[],
            ${c.map((r) => r.issuedBy)}::text[], ${c.map((r) => r.issuedAt.toISOString())}::timestamp(3)[]
          ) AS u(uid, hash, exp, by, at)
          ON CONFLICT ("userId") DO UPDATE
            SET "codeHash" = EXCLUDED."codeHash", "expiresAt" = EXCLUDED."expiresAt", "issuedBy" = EXCLUDED."issuedBy", "issuedAt" = EXCLUDED."issuedAt"`;
      }
    },

    findByUserId(userId: string): Promise<{ codeHash: string; expiresAt: Date } | null> {
      return db.activationCode.findUnique({ where: { userId }, select: { codeHash: true, expiresAt: true } });
    },

    /**
     * Uses up a code: deletes it if it is still the account's code and has
     * not expired. One statement, so two requests with one code cannot both
     * succeed. False when it was already used, replaced or expired.
     */
    async consume(userId: string, codeHash: string, now: Date): Promise<boolean> {
      const { count } = await db.activationCode.deleteMany({ where: { userId, codeHash, expiresAt: { gt: now } } });
      return count === 1;
    },

    /**
     * Sets the password chosen with a code: records the first activation,
     * clears `mustChangePassword` and the failure count, and revokes every
     * token issued so far.
     */
    setActivatedPassword(userId: string, passwordHash: string, now: Date) {
      return db.$executeRaw`
        UPDATE "User" SET "passwordHash" = ${passwordHash}, "activatedAt" = COALESCE("activatedAt", ${now.toISOString()}::timestamp(3)),
          "mustChangePassword" = false, "failedLogins" = 0, "lockedUntil" = NULL, "tokenVersion" = "tokenVersion" + 1
        WHERE "id" = ${userId}`;
    },
  };
}

export type ActivationCodeRepository = ReturnType<typeof createActivationCodeRepository>;
