/**
 * Global setup of the `integration` and `browser` projects: a PostgreSQL and a
 * Redis of their own, fresh on every run, on free ports, with their files in
 * .test-data/<project>-<pid> (never the .data of `npm start`), removed at the
 * end. Migrations are applied the way `npm start` applies them. Tests get the
 * URLs with `inject('databaseUrl')` and `inject('redisUrl')`.
 *
 * Each project runs this once, so the two projects never share a database.
 * A run killed outright (kill -9, a CI timeout) cannot stop its servers; the
 * next run does, and removes its folder.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../prisma/migrate';
import { ensureProgram } from '../../server/infra/debian-package';
import { startPostgres, type RunningPostgres } from '../../server/infra/postgres';
import { isAlive, stopStaleServer } from '../../server/infra/process';
import { startRedis, type RunningRedis } from '../../server/infra/redis';
import { ensureClientBuilt } from '../../scripts/client-build';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}

/** Stops the servers of runs whose process is gone and removes their folders. */
async function cleanUpDeadRuns(testDataRoot: string): Promise<void> {
  for (const entry of await readdir(testDataRoot).catch(() => [] as string[])) {
    const owner = Number(/-(\d+)$/.exec(entry)?.[1]);
    if (!owner || isAlive(owner)) continue;
    const dir = path.join(testDataRoot, entry);
    await stopStaleServer(path.join(dir, 'postgres', 'postmaster.pid'), 'postgres', 'SIGINT');
    await stopStaleServer(path.join(dir, 'redis', 'redis.pid'), 'redis-server', 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const testDataRoot = path.join(project.config.root, '.test-data');
  await cleanUpDeadRuns(testDataRoot);
  // One folder per run: several test runs (developers, CI) may run side by side.
  const dataDir = path.join(testDataRoot, `${project.name || 'default'}-${process.pid}`);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });

  let postgres: RunningPostgres | undefined;
  let redis: RunningRedis | undefined;
  const teardown = async () => {
    await redis?.stop();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    [postgres, redis] = await Promise.all([
      startPostgres({
        dataDir: path.join(dataDir, 'postgres'),
        database: 'zz_test',
        // Throwaway data: trade durability for speed.
        settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
      }),
      startRedis({ dataDir: path.join(dataDir, 'redis'), appendOnly: false }),
    ]);
    await applyMigrations(postgres.url);
    // A new machine needs nothing but `npm test`: Chromium (and a Chinese font for the screenshots) come from Debian.
    if (project.name === 'browser') {
      ensureProgram({
        binary: 'chromium',
        packages: ['chromium', 'fonts-wqy-microhei'],
        hint: 'The browser tests drive Debian\'s Chromium: install it with `sudo apt-get install -y chromium fonts-wqy-microhei`.',
      });
    }
    if (project.name === 'browser' && ensureClientBuilt() === 'failed') {
      throw new Error('The web client did not build (npm run build:client); browser tests need it.');
    }
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('databaseUrl', postgres.url);
  project.provide('redisUrl', redis.url);
  return teardown;
}
