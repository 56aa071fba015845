/**
 * The web client is built by vite into dist/client, which the API serves.
 * Both `npm start` and the browser tests build it only when it is missing or
 * older than a file of client/, which keeps their second run fast.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builtIndex = path.join(root, 'dist', 'client', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export type ClientBuild = 'up to date' | 'built' | 'failed';

/** Runs `npm run build:client` unless dist/client is newer than every file of client/. */
export function ensureClientBuilt(): ClientBuild {
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= newestMtime(path.join(root, 'client'))) {
    return 'up to date';
  }
  const result = spawnSync('npm', ['run', '-s', 'build:client'], { cwd: root, stdio: 'inherit' });
  return result.status === 0 ? 'built' : 'failed';
}

/** Whether some build of the client exists (possibly stale). */
export function clientBuildExists(): boolean {
  return existsSync(builtIndex);
}
