import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { JobQueues } from '../../jobs/queues';
import type { Clock } from '../clock';
import type { Authenticate } from '../middleware/authenticate';
import type { UnitOfWork } from '../repositories';
import { createCycleAdminService } from '../services/cycle-admin.service';
import { createCycleService } from '../services/cycle.service';
import { createImportService } from '../services/import.service';
import { createPlanService } from '../services/plan.service';
import { createQuotaService } from '../services/quota.service';
import { createSeedService } from '../services/seed.service';
import { createCyclesRouter } from './cycles/cycles.router';
import { createImportsRouter } from './imports/imports.router';
import { createPlansRouter } from './plans/plans.router';
import { createQuotasRouter } from './quotas/quotas.router';

/** The bureau's setup of the year (issue 4, part A): cycles, imports, plans, quotas. Mounted under /api by buildApp. */
export function createBureauSetupRouters(deps: { uow: UnitOfWork; clock: Clock; queues: JobQueues; redis: Redis; authenticate: Authenticate }): Router[] {
  const { uow, clock, queues, redis, authenticate } = deps;
  const cycles = createCycleService({ uow, clock });
  return [
    createCyclesRouter({ cycleAdmin: createCycleAdminService({ uow, clock }), seeds: createSeedService({ uow, clock }), authenticate }),
    createImportsRouter({ imports: createImportService({ uow, clock, cycles, queues, redis }), authenticate }),
    createPlansRouter({ plans: createPlanService({ uow, clock, cycles }), authenticate }),
    createQuotasRouter({ quotas: createQuotaService({ uow, clock, cycles }), authenticate }),
  ];
}
