import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One authorization path (issue 15): who may do what is decided in
 * server/policies (the action table, its predicates and the scopes), never
 * by a role comparison in a use case or a route. This test reads the
 * services, routes, middleware and jobs and fails on any comparison of a
 * role: `x.role === 'bureau'`, `'auditor' !== x.role`, `switch (x.role)`,
 * `SOME_SET.has(x.role)` or `.includes(x.role)`. A genuine comparison that
 * decides nothing about access goes in ALLOWED with the reason.
 */

const root = path.resolve(__dirname, '../..');
const SCANNED = ['server/services', 'server/routes', 'server/middleware', 'jobs'];

/** `file:trimmed line` → why it is not an access decision. */
const ALLOWED: Record<string, string> = {
  'server/services/auth.service.ts:if (AUDITED_ROLES.has(user.role)) {': 'which sign-ins go to the audit log, not who may sign in',
  'server/services/auth.service.ts:if (AUDITED_ROLES.has(actor.role)) {': 'which password changes go to the audit log, not who may change one',
};

const ROLE_CHECKS = [
  /\brole\s*[!=]==?/,
  /[!=]==?\s*[\w.?]*\brole\b/,
  /switch\s*\(\s*[\w.?]*\brole\s*\)/,
  /\.(has|includes)\(\s*[\w.?]*\brole\s*\)/,
];

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) filesUnder(full, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

/** Every line of the scanned code that compares a role, as `file:trimmed line`. */
function roleComparisons(): string[] {
  const found: string[] = [];
  for (const file of SCANNED.flatMap((d) => filesUnder(path.join(root, d)))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const code = line.replace(/\/\/.*$/, '').trim();
      if (code.startsWith('*') || code.startsWith('/*')) continue;
      if (ROLE_CHECKS.some((re) => re.test(code))) found.push(`${rel}:${code}`);
    }
  }
  return found;
}

describe('one authorization path', () => {
  it('has no role comparison in services, routes, middleware or jobs: use authorize/can/permit or a scope from server/policies', () => {
    const offending = roleComparisons().filter((hit) => !(hit in ALLOWED));
    expect(offending).toEqual([]);
  });

  it('allow-lists only comparisons that still exist', () => {
    const hits = new Set(roleComparisons());
    expect(Object.keys(ALLOWED).filter((k) => !hits.has(k))).toEqual([]);
  });

  it('catches the comparisons it is meant to', () => {
    const catches = (code: string) => ROLE_CHECKS.some((re) => re.test(code));
    expect(catches("if (actor.role !== 'bureau') throw new AppError('FORBIDDEN');")).toBe(true);
    expect(catches("const regionCode = actor.role === 'bureau' ? actor.regionCode : null;")).toBe(true);
    expect(catches("if ('auditor' === user.role) return;")).toBe(true);
    expect(catches('switch (actor.role) {')).toBe(true);
    expect(catches('if (OVERSIGHT.includes(actor.role)) return;')).toBe(true);
    expect(catches("authorize(actor, 'round.publish');")).toBe(false);
    expect(catches('role: user.role,')).toBe(false);
  });
});
