/**
 * Small helpers for the local services the launcher and the tests start
 * (PostgreSQL, Redis): free ports, waiting for a process to end, and clearing
 * a server left behind by a run that was killed.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';

/** A TCP port free on 127.0.0.1 right now: `preferred` when it is, else one the OS picks. */
export async function freePort(preferred?: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : null));
      });
    });
  if (preferred !== undefined && (await tryListen(preferred)) !== null) return preferred;
  const port = await tryListen(0);
  if (port === null) throw new Error('No free TCP port on 127.0.0.1.');
  return port;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Resolves when the child has exited; sends SIGKILL if it outlives `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * A server whose pid file is in our own data folder but whose launcher died
 * (kill -9, a crash) still holds the folder: stop it before starting anew.
 */
export async function stopStaleServer(
  pidFile: string,
  program: string,
  signal: NodeJS.Signals,
  timeoutMs = 15_000,
): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isAlive(pid)) return;
  if (!commandLine(pid).includes(program)) return; // the pid was reused by something else
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** The last lines a server printed, kept to explain a failed start. */
export class LogTail {
  private lines: string[] = [];
  constructor(private readonly max = 40) {}
  push(chunk: Buffer | string): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  toString(): string {
    return this.lines.join('\n');
  }
}
