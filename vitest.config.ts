import { defineConfig } from 'vitest/config';

/**
 * Four projects: `unit` (pure code, colocated *.test.ts), `integration`
 * (real PostgreSQL and Redis, started by test/setup/global.ts), `faults`
 * (kills and restarts of PostgreSQL, Redis and the worker, each file with its
 * own servers) and `browser` (Chromium through playwright-core against the real server).
 *
 * Integration and browser tests each get their own PostgreSQL and Redis from
 * the global setup; within a project, files run one after another because
 * they share that database.
 */
const services = {
  environment: 'node' as const,
  globalSetup: ['test/setup/global.ts'],
  fileParallelism: false,
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

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
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          ...services,
        },
      },
      {
        // Faults: each file starts its own PostgreSQL and Redis (test/faults/support.ts)
        // because it stops, kills and restarts them, and the API and workers as processes.
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          ...services,
        },
      },
    ],
  },
});
