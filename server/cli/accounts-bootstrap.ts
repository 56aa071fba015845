/**
 * `npm run -s accounts:bootstrap -- <username>`: the first account of an
 * empty platform (`DEMO=off npm start`). Creates a city-bureau account
 * (市教育局) with no password, or finds the existing one, and issues it a
 * one-time activation code. Prints only the code and its expiry on stdout:
 *
 *     7K2QF-M9XDA
 *     2027-01-04T10:00:00.000Z
 *
 * then open the platform's /activate page (首次登录 / 激活账号) and enter the
 * username, the code and a new password.
 *
 * The database: DATABASE_URL when set; otherwise the embedded PostgreSQL of
 * `npm start` in .data/postgres, used as it runs or, when it is not running,
 * started for the moment and stopped again. Migrations are applied first, as
 * `npm start` does. Exits 1 with a message on bad input (a malformed
 * username, an account that is not a city-bureau one), 2 when it cannot run.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations } from '../../prisma/migrate';
import { systemClock } from '../clock';
import { createPrisma } from '../db';
import { startPostgres, type RunningPostgres } from '../infra/postgres';
import { createUnitOfWork } from '../repositories';
import { bootstrapCityBureau, BootstrapRefused, BOOTSTRAP_USERNAME } from '../services/account-bootstrap';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pgDataDir = path.join(root, '.data', 'postgres');
/** The database `npm start` creates in its embedded cluster (scripts/run.ts). */
const DATABASE = 'zz_admissions';

const fail = (message: string) => process.stderr.write(`accounts:bootstrap: ${message}\n`);

/** The port of the embedded server of `npm start` when it is running (postmaster.pid: pid on line 1, port on line 4). */
function runningEmbeddedPort(): number | null {
  const pidFile = path.join(pgDataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length !== 1 || args[0].startsWith('-')) {
    fail('usage: npm run -s accounts:bootstrap -- <username>');
    return 1;
  }
  if (!BOOTSTRAP_USERNAME.test(args[0].trim())) {
    fail(`"${args[0]}" is not a usable username: 2 to 64 letters, digits, _ . @ or -, starting with a letter or digit`);
    return 1;
  }

  let databaseUrl = process.env.DATABASE_URL;
  let started: RunningPostgres | undefined;
  if (!databaseUrl) {
    const port = runningEmbeddedPort();
    if (port !== null) {
      databaseUrl = `postgresql://postgres:postgres@127.0.0.1:${port}/${DATABASE}`;
    } else {
      process.stderr.write('accounts:bootstrap: starting the embedded PostgreSQL in .data/postgres for the moment...\n');
      started = await startPostgres({ dataDir: pgDataDir, database: DATABASE, preferredPort: 5432, logFile: path.join(root, '.data', 'postgres.log') });
      databaseUrl = started.url;
    }
  }
  try {
    await applyMigrations(databaseUrl);
    const prisma = createPrisma(databaseUrl, { poolSize: 2 });
    try {
      const { created, code, expiresAt } = await bootstrapCityBureau({ uow: createUnitOfWork(prisma), clock: systemClock }, { username: args[0] });
      process.stderr.write(`accounts:bootstrap: ${created ? 'created' : 'found'} the city-bureau account "${args[0].trim()}"; its one-time activation code (the earlier one, if any, no longer works), to enter at /activate with a new password:\n`);
      process.stdout.write(`${code}\n${expiresAt.toISOString()}\n`);
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  } catch (error) {
    if (error instanceof BootstrapRefused) {
      fail(error.message);
      return 1;
    }
    throw error;
  } finally {
    await started?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    fail(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
