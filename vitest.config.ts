import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure code, colocated *.test.ts), `integration`
 * (real PostgreSQL and Redis, started by test/setup/global.ts) and `browser`
 * (Chromium through playwright-core against the real server).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'jobs/**/*.test.ts', 'client/src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
    ],
  },
});
