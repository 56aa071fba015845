import type { Router } from 'express';
import type { Logger } from 'pino';
import type { JobQueues } from '../../../jobs/queues';
import type { JobName } from '../../../jobs/registry';
import type { Clock } from '../../clock';
import type { Authenticate } from '../../middleware/authenticate';
import type { UnitOfWork } from '../../repositories';
import { createCycleService } from '../../services/cycle.service';
import { createHighSchoolPortalService } from '../../services/high-school-portal.service';
import { createJuniorSchoolPortalService } from '../../services/junior-school-portal.service';
import { createRegistrationService, type RequestFlagDetection } from '../../services/registration.service';
import { createJuniorRouter } from '../junior/junior.router';
import { createHighRouter } from './high.router';

/** The job the oversight area registers for poaching/irregularity detection (PLATFORM.md). */
export const FLAG_DETECTION_JOB = 'flags.detect' satisfies JobName;

/**
 * Enqueues the flag detection (jobs/registry.ts) after registrations. A failure to enqueue is
 * logged, not returned: the registrations are already committed.
 */
export function flagDetectionRequester(queues: Pick<JobQueues, 'enqueue'>, logger?: Logger): RequestFlagDetection {
  return async ({ cycleId, actorId, requestId }) => {
    try {
      await queues.enqueue(FLAG_DETECTION_JOB, { cycleId, reason: 'registration' }, { createdBy: actorId, requestId });
    } catch (error) {
      logger?.warn({ err: error, cycleId, requestId }, 'could not enqueue flag detection after registration');
    }
  };
}

/** The high-school and junior-school portals (issue 6), built from the app's dependencies. */
export function createSchoolPortalRouters(deps: {
  uow: UnitOfWork;
  clock: Clock;
  queues: Pick<JobQueues, 'enqueue'>;
  authenticate: Authenticate;
  logger?: Logger;
  /** Four eyes for plan changes of seat counts (PUBLISH_APPROVALS; default 1). */
  publishApprovals?: number;
}): Router[] {
  const { uow, clock, authenticate } = deps;
  const cycles = createCycleService({ uow, clock });
  const portal = createHighSchoolPortalService({ uow, cycles, clock, publishApprovals: deps.publishApprovals });
  const registrations = createRegistrationService({ uow, cycles, clock, requestFlagDetection: flagDetectionRequester(deps.queues, deps.logger) });
  const junior = createJuniorSchoolPortalService({ uow, cycles });
  return [createHighRouter({ portal, registrations, authenticate }), createJuniorRouter({ portal: junior, authenticate })];
}
