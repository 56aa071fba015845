/**
 * The one entry point to the database: a Prisma client over node-postgres
 * (Prisma 7 needs a driver adapter) and the generated model types. Other code
 * imports Prisma only from here, never from ./generated.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

export * from './generated/prisma/client';

/** The node-postgres pool under each client made by createPrisma (for COPY, which Prisma cannot do). */
const pools = new WeakMap<object, pg.Pool>();

/** The pool under a client made by createPrisma, or undefined for any other client. */
export function pgPoolOf(prisma: object): pg.Pool | undefined {
  return pools.get(prisma);
}

/** A Prisma client for `databaseUrl`; call `$disconnect()` when done. */
export function createPrisma(databaseUrl: string, options: { poolSize?: number } = {}): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  // When PostgreSQL stops, a connection just handed to a waiting transaction can
  // receive "terminating connection" before the adapter listens to it: with no
  // 'error' listener node-postgres throws, and the process dies (test/faults/).
  // A listener on every connection keeps the process up; the query using the
  // connection still fails (503, server/outages.ts) and the pool discards it.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const client = new PrismaClient({ adapter });
  pools.set(client, pool);
  return client;
}
