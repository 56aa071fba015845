import type { SignInFailureCount } from '../domain/auth/auth.rules';
import type { Db } from './index';

/**
 * Persistence of failed sign-ins per (username as typed, client address), the
 * counts behind the throttle of domain/auth/auth.rules.ts. In PostgreSQL, not
 * Redis: every API process shares them, and sign-in keeps working (and
 * throttled) with Redis down. One indexed read per attempt, one upsert per failure.
 */
export function createSignInFailureRepository(db: Db) {
  return {
    /** Every address's count for a username (the primary key's first column serves the read). */
    listForUsername(username: string): Promise<SignInFailureCount[]> {
      return db.signInFailure.findMany({
        where: { username },
        select: { address: true, failures: true, lastFailureAt: true },
      });
    },

    /**
     * Counts one failure: one atomic upsert, so concurrent failures are all
     * counted. A count whose last failure is before `forgetBefore` starts
     * again at 1. Returns the new count.
     */
    async recordFailure(props: { username: string; address: string; at: Date; forgetBefore: Date }): Promise<number> {
      const rows = await db.$queryRaw<{ failures: number }[]>`
        INSERT INTO "SignInFailure" ("username", "address", "failures", "lastFailureAt")
        VALUES (${props.username}, ${props.address}, 1, ${props.at})
        ON CONFLICT ("username", "address") DO UPDATE SET
          "failures" = CASE WHEN "SignInFailure"."lastFailureAt" < ${props.forgetBefore} THEN 1 ELSE "SignInFailure"."failures" + 1 END,
          "lastFailureAt" = GREATEST("SignInFailure"."lastFailureAt", EXCLUDED."lastFailureAt")
        RETURNING "failures"`;
      return rows[0].failures;
    },

    /** Forgets the failures of one address for a username (after it signed in). */
    async clear(username: string, address: string): Promise<void> {
      await db.signInFailure.deleteMany({ where: { username, address } });
    },

    /** Deletes counts whose last failure is before `before`; returns how many. */
    async pruneOlderThan(before: Date): Promise<number> {
      const { count } = await db.signInFailure.deleteMany({ where: { lastFailureAt: { lt: before } } });
      return count;
    },
  };
}

export type SignInFailureRepository = ReturnType<typeof createSignInFailureRepository>;
