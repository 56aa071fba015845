/**
 * A local Redis for development and tests. No npm package ships a Redis server,
 * so this runs Debian's `redis-server`, installing it with apt-get when it is
 * missing and we are root. The server runs in its own process group so that a
 * Ctrl-C reaches the worker first: BullMQ needs Redis to shut down cleanly.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ensureProgram, findProgram } from './debian-package';
import { freePort, LogTail, stopStaleServer, waitForExit } from './process';

export interface RedisOptions {
  /** Working folder: append-only file and pid file. */
  dataDir: string;
  /** Port to listen on; when absent, `preferredPort` if free, else any free port. */
  port?: number;
  preferredPort?: number;
  /** Keep data across restarts (BullMQ needs it outside tests). */
  appendOnly: boolean;
}

export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const REDIS_SERVER = {
  binary: 'redis-server',
  packages: ['redis-server'],
  hint: 'Install it with `sudo apt-get install -y redis-server`, or set REDIS_URL to a running Redis.',
} as const;

/** Path of the redis-server binary, or null when it is not installed. */
export const findRedisServer = (): string | null => findProgram(REDIS_SERVER.binary);

/** redis-server's path, installing Debian's package first when it is missing and we are root. */
export const ensureRedisServer = (): string => ensureProgram(REDIS_SERVER);

/** Starts redis-server on 127.0.0.1 with its files in `dataDir`. */
export async function startRedis(options: RedisOptions): Promise<RunningRedis> {
  const binary = ensureRedisServer();
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const pidFile = path.join(dataDir, 'redis.pid');
  await stopStaleServer(pidFile, 'redis-server', 'SIGTERM');
  const port = options.port ?? (await freePort(options.preferredPort));
  const tail = new LogTail();
  const server = spawn(
    binary,
    [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', dataDir,
      '--pidfile', pidFile,
      '--daemonize', 'no',
      '--logfile', '',
      '--save', '',
      '--appendonly', options.appendOnly ? 'yes' : 'no',
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => server.kill('SIGTERM');
  process.on('exit', killOnExit);

  await new Promise<void>((resolve, reject) => {
    let recent = ''; // the message may straddle two chunks
    const onOutput = (chunk: Buffer) => {
      tail.push(chunk);
      recent = (recent + chunk.toString()).slice(-200);
      if (recent.includes('Ready to accept connections')) resolve();
    };
    server.stdout.on('data', onOutput);
    server.stderr.on('data', onOutput);
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`redis-server exited (code ${code}) while starting:\n${tail}`)));
  }).catch((error: unknown) => {
    process.off('exit', killOnExit);
    throw error;
  });

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      process.off('exit', killOnExit);
      server.kill('SIGTERM'); // flushes the append-only file, then exits
      await waitForExit(server, 15_000);
    },
  };
}
