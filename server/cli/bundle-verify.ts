/**
 * `npm run -s bundle:verify -- bundle.json`: checks a round's bundle
 * (GET /api/rounds/:id/bundle) offline: sha256(seed) against the commitment
 * the cycle published when applications opened, the input and result hashes,
 * and the allocation re-run on the input against the result
 * (server/domain/rounds/bundle-verify.ts). Prints each check; exits 0 when
 * all hold, 1 on any difference, 2 when the file cannot be read as JSON.
 */
import { readFileSync } from 'node:fs';
import { verifyBundle } from '../domain/rounds/bundle-verify';

function main(): number {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const [path] = args;
  if (!path || args.length !== 1) {
    process.stderr.write('usage: npm run -s bundle:verify -- <bundle.json>\n');
    return 2;
  }
  let bundle: unknown;
  try {
    bundle = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    process.stderr.write(`bundle:verify: cannot read ${path}: ${(error as Error).message}\n`);
    return 2;
  }
  const checks = verifyBundle(bundle);
  for (const check of checks) process.stdout.write(`${check.ok ? 'OK  ' : 'FAIL'} ${check.name}: ${check.detail}\n`);
  const failed = checks.filter((c) => !c.ok).length;
  process.stdout.write(failed === 0 ? `OK: all ${checks.length} checks hold\n` : `FAILED: ${failed} of ${checks.length} checks\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
