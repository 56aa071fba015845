import { z } from 'zod';
import { jsonResponse, type RouteConfig } from '../shared.schema';

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    checks: z.object({ database: z.enum(['ok', 'down']), redis: z.enum(['ok', 'down']) }),
    worker: z.object({
      lastHeartbeat: z.string().nullable().meta({ description: 'When a worker last ran system.healthcheck (every minute)' }),
    }),
    time: z.string(),
  })
  .meta({ id: 'Health' });
export type HealthBody = z.infer<typeof healthSchema>;

export const systemPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/health',
    tags: ['system'],
    summary: 'Liveness and readiness: PostgreSQL and Redis reachable (503 when one is down)',
    responses: { 200: jsonResponse('Healthy', healthSchema), 503: jsonResponse('A dependency is down', healthSchema) },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    tags: ['system'],
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
];
