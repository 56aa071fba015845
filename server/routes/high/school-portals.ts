import type { Router } from 'express';
import type { Authenticate } from '../../middleware/authenticate';
import type { Services } from '../../composition';
import { createJuniorRouter } from '../junior/junior.router';
import { createHighRouter } from './high.router';

/** The high-school and junior-school portals (issue 6), from the services of the composition root. */
export function createSchoolPortalRouters(deps: { services: Pick<Services, 'highPortal' | 'registrations' | 'juniorPortal'>; authenticate: Authenticate }): Router[] {
  const { services, authenticate } = deps;
  return [
    createHighRouter({ portal: services.highPortal, registrations: services.registrations, authenticate }),
    createJuniorRouter({ portal: services.juniorPortal, authenticate }),
  ];
}
