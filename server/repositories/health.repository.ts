import type { Db } from './index';

/** The database side of GET /api/health. */
export function createHealthRepository(db: Db) {
  return {
    async ping(): Promise<void> {
      await db.$queryRaw`SELECT 1`;
    },
  };
}
