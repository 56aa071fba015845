/**
 * Migrations without Prisma's native schema engine, which cannot be downloaded
 * on these machines (see ../shared/STACK.md). Prisma's own engine compiled to
 * WASM does the work:
 *
 *   tsx prisma/migrate.ts apply          apply prisma/migrations/* to $DATABASE_URL
 *   tsx prisma/migrate.ts create NAME    write the next migration from the schema change
 *
 * `apply` fills the standard `_prisma_migrations` table, so `prisma migrate
 * deploy` stays compatible wherever the native engine exists. `create` diffs the
 * schema snapshot saved by the previous `create` (or an empty database) against
 * prisma/schema.prisma: no database and no shadow database are needed.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { startPostgres } from '../server/infra/postgres';

const prismaDir = path.dirname(fileURLToPath(import.meta.url));
const migrationsDir = path.join(prismaDir, 'migrations');
const schemaPath = path.join(prismaDir, 'schema.prisma');
/** The schema as of the last generated migration: the `from` side of the next diff. */
const snapshotPath = path.join(migrationsDir, 'schema-snapshot.prisma');
const lockfileName = 'migration_lock.toml';
const noFilters: SchemaFilter = { externalTables: [], externalEnums: [] };

type EngineClass = typeof SchemaEngine;
const engineKey = Symbol.for('zz-admissions.schema-engine');
const processGlobals = globalThis as { [engineKey]?: Promise<EngineClass> };

/**
 * Instantiates the WASM module once per process: its JS glue holds a single
 * instance, and a second one behind it corrupts the first. The cache lives on
 * globalThis because a test runner may load this module twice in a process
 * (vitest's global setups) while Node shares the glue. The package's own entry
 * imports the .wasm as an ES module, which Node 20 cannot, so it is wired by
 * hand the way Prisma's CLI does it.
 */
function loadEngineClass(): Promise<EngineClass> {
  processGlobals[engineKey] ??= (async () => {
    const bgPath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const runtime = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
    // The engine arms timers (e.g. a 10 s lock timeout) and never clears them;
    // unref them so they do not keep a finished process alive.
    const imports: WebAssembly.ModuleImports = { ...(runtime as unknown as WebAssembly.ModuleImports) };
    for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { './schema_engine_bg.js': imports });
    // A Rust panic reports its message here before the promise rejects.
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message: (message: string) => console.error(`schema engine panic: ${message}`),
    };
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime.SchemaEngine;
  })();
  return processGlobals[engineKey];
}

/**
 * PrismaPg's executeScript splits a script at every `;` and runs the pieces one
 * by one, so a function body or a string holding `;` breaks and a failing
 * migration stays half applied. Prisma's native engine sends a migration whole,
 * which PostgreSQL runs as one implicit transaction: do the same.
 */
class WholeScriptPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    adapter.executeScript = async (script: string) => {
      try {
        await adapter.underlyingDriver().query(script);
      } catch (error) {
        (adapter as unknown as { onError(error: unknown): never }).onError(error);
      }
    };
    return adapter;
  }
}

/**
 * Runs `use` with an engine connected through `databaseUrl`. Errors raised by
 * the driver reach us as "External error id#N"; they are swapped for the
 * original error (e.g. connection refused) kept in the adapter's registry.
 */
async function withEngine<T>(databaseUrl: string, use: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const Engine = await loadEngineClass();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const adapter = bindMigrationAwareSqlAdapterFactory(new WholeScriptPg(pool));
  const debug = (message: string) => {
    if (process.env.DEBUG_MIGRATE) console.error(message);
  };
  try {
    const engine = await Engine.new({ datamodels: undefined }, debug, adapter);
    try {
      return await use(engine);
    } finally {
      engine.free();
    }
  } catch (error) {
    const id = /External error id#(\d+)/.exec(String((error as Error)?.message))?.[1];
    const original = id === undefined ? undefined : adapter.errorRegistry.consumeError(Number(id))?.error;
    throw original ?? error;
  } finally {
    await pool.end();
  }
}

/** The migrations folder as the engine expects it, folders in name (= time) order. */
async function readMigrationList(): Promise<MigrationList> {
  const entries = existsSync(migrationsDir) ? await readdir(migrationsDir, { withFileTypes: true }) : [];
  const folders = entries
    .filter((entry) => entry.isDirectory() && existsSync(path.join(migrationsDir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort();
  const lockfilePath = path.join(migrationsDir, lockfileName);
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: lockfileName,
      content: existsSync(lockfilePath) ? await readFile(lockfilePath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      folders.map(async (folder) => ({
        path: folder,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(path.join(migrationsDir, folder, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

/**
 * Applies every migration of prisma/migrations not yet applied to the database
 * and returns the names of those it applied (empty when up to date).
 */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const migrationsList = await readMigrationList();
  const output = await withEngine(databaseUrl, (engine) => engine.applyMigrations({ migrationsList, filters: noFilters }));
  return output.appliedMigrationNames;
}

/** UTC timestamp in Prisma's migration folder format, e.g. 20250601123045. */
function migrationTimestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that
 * takes the previous schema snapshot to prisma/schema.prisma, and saves the new
 * snapshot. Returns the folder name, or null when the schema did not change.
 * The engine only reads the server's version from `databaseUrl`; it changes nothing there.
 */
export async function createMigration(name: string, databaseUrl: string): Promise<string | null> {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  if (!slug) throw new Error('A migration needs a name of letters and digits, e.g. `npm run db:migration add_flags`.');
  const schema = await readFile(schemaPath, 'utf8');
  const snapshot = existsSync(snapshotPath) ? await readFile(snapshotPath, 'utf8') : null;
  const result = await withEngine(databaseUrl, (engine) =>
    engine.diff({
      from: snapshot === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: snapshotPath, content: snapshot }] },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    }),
  );
  const sql = result.stdout ?? '';
  if (!/^\s*[^-\s]/m.test(sql)) return null; // only comments: nothing changed

  const folder = `${migrationTimestamp(new Date())}_${slug}`;
  await mkdir(path.join(migrationsDir, folder), { recursive: true });
  await writeFile(path.join(migrationsDir, folder, 'migration.sql'), sql);
  await writeFile(snapshotPath, schema);
  const lockfilePath = path.join(migrationsDir, lockfileName);
  if (!existsSync(lockfilePath)) {
    await writeFile(
      lockfilePath,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  return folder;
}

/**
 * The engine insists on a live connection even to diff two schema files: use
 * DATABASE_URL when given, else a throwaway embedded PostgreSQL.
 */
async function withScratchDatabaseUnlessSet<T>(use: (databaseUrl: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return use(process.env.DATABASE_URL);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zz-migrate-'));
  try {
    const scratch = await startPostgres({ dataDir, database: 'scratch' });
    try {
      return await use(scratch.url);
    } finally {
      await scratch.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, name] = argv;
  if (command === 'apply') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: it names the database to migrate.');
    const applied = await applyMigrations(url);
    console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date.');
  } else if (command === 'create' && name) {
    const folder = await withScratchDatabaseUnlessSet((url) => createMigration(name, url));
    console.log(folder ? `Wrote prisma/migrations/${folder}/migration.sql` : 'Schema unchanged: no migration written.');
  } else {
    throw new Error('Usage: tsx prisma/migrate.ts apply | create NAME');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
