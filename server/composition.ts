/**
 * The composition root: every service of the API built once, from the
 * process's dependencies, and handed to the routers by buildApp (server/app.ts).
 * A service that needs another (the cycle service, the auth service, receipts)
 * gets the one instance built here, never a copy of its own.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { JobQueues } from '../jobs/queues';
import type { Clock } from './clock';
import type { SignInThrottlePolicy } from './domain/auth/auth.rules';
import type { Env } from './env';
import { loadReceiptKeys, type ReceiptKeys } from './infra/receipt-key';
import { createTokenService } from './infra/tokens';
import type { UnitOfWork } from './repositories';
import { createAccountService } from './services/account.service';
import { createApplicationService } from './services/application.service';
import { createAuditLogService } from './services/audit-log.service';
import { createAuthService } from './services/auth.service';
import { createComplaintService } from './services/complaint.service';
import { createCycleAdminService } from './services/cycle-admin.service';
import { createCycleService } from './services/cycle.service';
import { createDashboardService } from './services/dashboard.service';
import { createFlagService } from './services/flag.service';
import { createHealthService } from './services/health.service';
import { createHighSchoolPortalService } from './services/high-school-portal.service';
import { createHomeService } from './services/home.service';
import { createImportService } from './services/import.service';
import { createJobService } from './services/job.service';
import { createJuniorSchoolPortalService } from './services/junior-school-portal.service';
import { createKindergartenImportService } from './services/kindergarten-import.service';
import { createKindergartenService } from './services/kindergarten.service';
import { argon2Hasher } from './services/passwords';
import { createPlanService } from './services/plan.service';
import { createQuotaService } from './services/quota.service';
import { createScoreTableService } from './services/ranking.service';
import { createReceiptService } from './services/receipt.service';
import { createRegistrationService, flagDetectionRequester } from './services/registration.service';
import { createRoundService } from './services/round.service';
import { createSecretBox } from './services/secret-box';
import { createSeedService } from './services/seed.service';
import { createStudentPortalService } from './services/student-portal.service';
import { createTwoFactorService } from './services/two-factor.service';

export interface ServiceDeps {
  env: Env;
  uow: UnitOfWork;
  redis: Redis;
  queues: JobQueues;
  clock: Clock;
  logger?: Logger;
  throttle?: SignInThrottlePolicy;
  receiptKeys?: ReceiptKeys;
}

export type Services = ReturnType<typeof createServices>;

export function createServices(deps: ServiceDeps) {
  const { env, uow, redis, queues, clock } = deps;
  const tokens = createTokenService({ secret: env.JWT_SECRET, ttlSeconds: env.JWT_TTL, now: () => clock.now() });
  const totpSecrets = createSecretBox(env.TOTP_ENCRYPTION_KEY ?? env.JWT_SECRET, 'totp-secret');
  const auth = createAuthService({
    uow,
    tokens,
    passwords: argon2Hasher,
    clock,
    refreshTtlSeconds: env.REFRESH_TTL,
    bureauTotpRequired: env.BUREAU_TOTP_REQUIRED,
    secretBox: totpSecrets,
    throttle: deps.throttle,
    nameKey: env.JWT_SECRET,
  });
  const cycles = createCycleService({ uow, clock });
  const receipts = createReceiptService({ keys: deps.receiptKeys ?? loadReceiptKeys(env) });
  return {
    auth,
    twoFactor: createTwoFactorService({ uow, passwords: argon2Hasher, clock, secretBox: totpSecrets, bureauTotpRequired: env.BUREAU_TOTP_REQUIRED }),
    accounts: createAccountService({ uow, clock, auth, passwords: argon2Hasher }),
    health: createHealthService({ uow, redis, keyPrefix: env.QUEUE_PREFIX, clock }),
    homes: createHomeService({ uow }),
    receipts,
    studentPortal: createStudentPortalService({ uow, cycles, clock }),
    applications: createApplicationService({ uow, cycles, clock, receipts }),
    scoreTables: createScoreTableService({ uow, cycles }),
    highPortal: createHighSchoolPortalService({ uow, cycles, clock, publishApprovals: env.PUBLISH_APPROVALS }),
    registrations: createRegistrationService({ uow, cycles, clock, requestFlagDetection: flagDetectionRequester(queues, deps.logger) }),
    juniorPortal: createJuniorSchoolPortalService({ uow, cycles }),
    cycleAdmin: createCycleAdminService({ uow, clock }),
    seeds: createSeedService({ uow, clock }),
    imports: createImportService({ uow, clock, cycles, queues, redis }),
    plans: createPlanService({ uow, clock, cycles }),
    quotas: createQuotaService({ uow, clock, cycles }),
    rounds: createRoundService({ uow, cycles, queues, clock, publishApprovals: env.PUBLISH_APPROVALS }),
    jobs: createJobService({ queues }),
    flags: createFlagService({ uow, clock, queues }),
    complaints: createComplaintService({ uow, clock }),
    dashboard: createDashboardService({ uow, clock }),
    auditLog: createAuditLogService({ uow }),
    kindergartens: createKindergartenService({ uow, clock }),
    kindergartenImports: createKindergartenImportService({ uow, clock }),
  };
}
