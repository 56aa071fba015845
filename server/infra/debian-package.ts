/**
 * A program the platform runs that Debian packages (redis-server for
 * `npm start`, chromium for the browser tests): found on the PATH, or
 * installed with apt-get when it is missing and we are root, as on these
 * machines and in CI; otherwise one line saying how to install it.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

export interface DebianProgram {
  /** The executable's name, e.g. `redis-server`. */
  binary: string;
  /** Debian packages that provide it (and what it needs alongside, e.g. a Chinese font). */
  packages: readonly string[];
  /** What to do instead, for the error when it cannot be installed here. */
  hint: string;
}

/** Path of the program, or null when it is not installed. */
export function findProgram(binary: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function onPath(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

/** The program's path, installing its Debian packages first when it is missing and we are root. */
export function ensureProgram(program: DebianProgram): string {
  const found = findProgram(program.binary);
  if (found) return found;
  const message = `${program.binary} is not installed. ${program.hint}`;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) throw new Error(message);
  console.log(`${program.binary} is missing: installing Debian package(s) ${program.packages.join(', ')} (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-q'], ['install', '-y', '-q', '--no-install-recommends', ...program.packages]]) {
    const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`apt-get ${args[0]} failed. ${message}`);
  }
  const installed = findProgram(program.binary);
  if (!installed) throw new Error(message);
  return installed;
}
