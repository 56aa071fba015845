import type { Redis } from 'ioredis';
import { heartbeatKey } from '../../jobs/handlers/system.healthcheck';
import type { Clock } from '../clock';
import type { UnitOfWork } from '../repositories';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'down'> {
  try {
    await withTimeout(check(), CHECK_TIMEOUT_MS);
    return 'ok';
  } catch {
    return 'down';
  }
}

/** GET /api/health: are PostgreSQL and Redis reachable, and when did a worker last run. */
export function createHealthService(deps: { uow: UnitOfWork<'health'>; redis: Redis; keyPrefix: string; clock: Clock }) {
  return {
    async check() {
      const [database, redis] = await Promise.all([probe(() => deps.uow.repos.health.ping()), probe(() => deps.redis.ping())]);
      const lastHeartbeat = redis === 'ok' ? await deps.redis.get(heartbeatKey(deps.keyPrefix)).catch(() => null) : null;
      return {
        status: database === 'ok' && redis === 'ok' ? ('ok' as const) : ('degraded' as const),
        checks: { database, redis },
        worker: { lastHeartbeat },
        time: deps.clock.now().toISOString(),
      };
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
