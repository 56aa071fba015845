/**
 * The one entry point to the database: a Prisma client over node-postgres
 * (Prisma 7 needs a driver adapter) and the generated model types. Other code
 * imports Prisma only from here, never from ./generated.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export * from './generated/prisma/client';

/** A Prisma client for `databaseUrl`; call `$disconnect()` when done. */
export function createPrisma(databaseUrl: string, options: { poolSize?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}
