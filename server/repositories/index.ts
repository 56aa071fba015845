import type { PoolClient } from 'pg';
import { pgPoolOf, type Prisma, type PrismaClient } from '../db';
import { fromPgPool } from '../outages';
import { createApplicationRepository } from './application.repository';
import { createApplicationAuditRepository } from './application-audit.repository';
import { createAdmissionRepository } from './admission.repository';
import { createAuditRepository } from './audit.repository';
import { createCycleRepository } from './cycle.repository';
import { createHealthRepository } from './health.repository';
import { createHomeRepository } from './home.repository';
import { createRegistrationRepository } from './registration.repository';
import { createUserRepository } from './user.repository';
import { createRefreshTokenRepository } from './refresh-token.repository';
import { createSignInFailureRepository } from './sign-in-failure.repository';
import { createSchoolRepository } from './school.repository';
import { createPlanRepository } from './plan.repository';
import { createQuotaRepository } from './quota.repository';
import { createImportRepository } from './import.repository';
import { createCycleAdminRepository } from './cycle-admin.repository';
import { createRoundRepository } from './round.repository';
import { createFlagRepository } from './flag.repository';
import { createComplaintRepository } from './complaint.repository';
import { createDashboardRepository } from './dashboard.repository';
import { createAuditLogRepository } from './audit-log.repository';
import { createActivationCodeRepository } from './activation-code.repository';
import { createResultViewRepository } from './result-view.repository';
import { createKindergartenRepository } from './kindergarten.repository';
import { createNamesRepository } from './names.repository';
import { createImportedAccountsRepository } from './imported-accounts.repository';
import { createApprovalRepository } from './approval.repository';
import { createRankingRepository } from './ranking.repository';
import { withCachedReads, type ReadCache } from './read-cache';

/** A Prisma client or an interactive transaction: every repository works inside both. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** The repositories of the API foundation, bound to one client or transaction. */
export function createRepositories(db: Db) {
  return {
    users: createUserRepository(db),
    refreshTokens: createRefreshTokenRepository(db),
    signInFailures: createSignInFailureRepository(db),
    audit: createAuditRepository(db),
    cycles: createCycleRepository(db),
    schools: createSchoolRepository(db),
    plans: createPlanRepository(db),
    quotas: createQuotaRepository(db),
    imports: createImportRepository(db),
    cycleAdmin: createCycleAdminRepository(db),
    homes: createHomeRepository(db),
    health: createHealthRepository(db),
    rounds: createRoundRepository(db),
    admissions: createAdmissionRepository(db),
    registrations: createRegistrationRepository(db),
    applications: createApplicationRepository(db),
    flags: createFlagRepository(db),
    complaints: createComplaintRepository(db),
    dashboard: createDashboardRepository(db),
    auditLog: createAuditLogRepository(db),
    /** The audit log with the saves of choices merged in (application-audit.repository.ts). */
    auditEntries: createApplicationAuditRepository(db),
    activationCodes: createActivationCodeRepository(db),
    resultViews: createResultViewRepository(db),
    kindergartens: createKindergartenRepository(db),
    ranking: createRankingRepository(db),
    names: createNamesRepository(db),
    approvals: createApprovalRepository(db),
    importedAccounts: createImportedAccountsRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/**
 * What a service gets instead of Prisma: repositories for plain reads and
 * writes, and `transaction` for work that must commit or fail as one (the
 * callback receives repositories bound to the transaction; `repos.audit.record` writes the audit entry in it).
 */
export interface UnitOfWork<K extends keyof Repositories = keyof Repositories> {
  repos: Pick<Repositories, K>;
  transaction<T>(work: (repos: Pick<Repositories, K>) => Promise<T>, options?: { timeout?: number; maxWait?: number }): Promise<T>;
  /**
   * A transaction on a plain node-postgres connection (BEGIN … COMMIT, ROLLBACK
   * on error), for bulk work Prisma cannot do (COPY); absent when the client
   * was not made by createPrisma.
   */
  pgTransaction?: <T>(work: (client: PoolClient) => Promise<T>) => Promise<T>;
}

/**
 * With `readCache`, the hot reads of `repos` come from that cache (see
 * read-cache.ts) and every committed transaction clears it; reads inside a
 * transaction always go to the database.
 */
export function createUnitOfWork(prisma: PrismaClient, options: { readCache?: ReadCache } = {}): UnitOfWork {
  const { readCache } = options;
  const repos = createRepositories(prisma);
  const pool = pgPoolOf(prisma);
  return {
    repos: readCache ? withCachedReads(repos, readCache) : repos,
    transaction: async (work, transactionOptions) => {
      const result = await prisma.$transaction((tx) => work(createRepositories(tx)), transactionOptions);
      readCache?.clear();
      return result;
    },
    pgTransaction: pool
      ? async (work) => {
          const client = await pool.connect().catch((error: unknown) => {
            throw fromPgPool(error);
          });
          let broken = false;
          try {
            await client.query('BEGIN');
            const result = await work(client);
            await client.query('COMMIT');
            readCache?.clear();
            return result;
          } catch (error) {
            await client.query('ROLLBACK').catch(() => {
              broken = true;
            });
            throw error;
          } finally {
            client.release(broken);
          }
        }
      : undefined,
  };
}
