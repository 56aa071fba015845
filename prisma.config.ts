import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

/**
 * Every Prisma CLI command first tries to download the native schema engine,
 * which fails offline. `prisma generate` never runs it, so pointing the
 * variable at any existing file lets generate work; `??=` keeps a real engine
 * where one is configured. Migrations go through prisma/migrate.ts instead.
 */
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL('prisma/schema.prisma', import.meta.url));

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
