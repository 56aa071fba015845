import type { Router } from 'express';
import type { Services } from '../composition';
import type { Authenticate } from '../middleware/authenticate';
import { createCyclesRouter } from './cycles/cycles.router';
import { createImportsRouter } from './imports/imports.router';
import { createPlansRouter } from './plans/plans.router';
import { createQuotasRouter } from './quotas/quotas.router';

/** The bureau's setup of the year (issue 4, part A): cycles, imports, plans, quotas. Mounted under /api by buildApp. */
export function createBureauSetupRouters(deps: {
  services: Pick<Services, 'cycleAdmin' | 'seeds' | 'imports' | 'plans' | 'quotas'>;
  authenticate: Authenticate;
}): Router[] {
  const { services, authenticate } = deps;
  return [
    createCyclesRouter({ cycleAdmin: services.cycleAdmin, seeds: services.seeds, authenticate }),
    createImportsRouter({ imports: services.imports, authenticate }),
    createPlansRouter({ plans: services.plans, authenticate }),
    createQuotasRouter({ quotas: services.quotas, authenticate }),
  ];
}
