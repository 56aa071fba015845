import { Router } from 'express';
import type { HealthService } from '../../services/health.service';

/** Unauthenticated system routes: health and the OpenAPI document. */
export function createSystemRouter(deps: { health: HealthService; openApiDocument: () => object }): Router {
  const router = Router();

  router.get('/health', async (_req, res) => {
    const health = await deps.health.check();
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(deps.openApiDocument());
  });

  return router;
}
