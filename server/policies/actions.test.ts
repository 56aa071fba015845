import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { ACTION_NAMES, ACTIONS, authorize, can, ROLES, roleMay, verdict, type Actor, type Role } from './index';

const root = path.resolve(__dirname, '../..');

function actor(role: Role, overrides: Partial<Actor> = {}): Actor {
  return { id: `${role}-user`, role, highSchoolId: null, juniorSchoolId: null, studentId: null, regionCode: null, ...overrides };
}

const cityBureau = actor('bureau');
const county = actor('bureau', { id: 'county-user', regionCode: '430202' });
const auditor = actor('auditor');
const student = actor('student', { studentId: 's1' });
const high = actor('high', { highSchoolId: 'h1' });

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) filesUnder(full, out);
    else if (/\.(ts|vue)$/.test(name) && !/\.test\.ts$/.test(name)) out.push(full);
  }
  return out;
}

function codeOf(dirs: string[]): string {
  return dirs.flatMap((d) => filesUnder(path.join(root, d))).map((f) => readFileSync(f, 'utf8')).join('\n');
}

function errorOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof AppError) return `${error.status} ${error.code}`;
    throw error;
  }
}

describe('the action table', () => {
  it('names every action in use: each appears in a route guard or a use case', () => {
    const code = codeOf(['server/routes', 'server/services', 'server/middleware', 'jobs']);
    const unused = ACTION_NAMES.filter((name) => !code.includes(`'${name}'`));
    expect(unused, 'actions nobody checks: use them (permit/authorize/can) or remove them').toEqual([]);
  });

  it('gives every action at least one role, each a real role', () => {
    for (const name of ACTION_NAMES) {
      expect(ACTIONS[name].roles.length, name).toBeGreaterThan(0);
      for (const role of ACTIONS[name].roles) expect(ROLES, name).toContain(role);
    }
  });

  it('imports nothing but its own folder, so the client can import it (no Prisma, Express or errors)', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^import\s[^;]*?from\s+'([^']+)'/gm)) {
        expect(spec.startsWith('./'), `${path.relative(root, file)} imports ${spec}`).toBe(true);
        visit(path.join(path.dirname(file), `${spec}.ts`));
      }
    };
    visit(path.join(__dirname, 'actions.ts'));
    expect(seen.size).toBeGreaterThan(1);
  });
});

describe('can and authorize', () => {
  it('refuses a role the action does not name with 403 FORBIDDEN', () => {
    expect(can(student, 'round.publish')).toBe(false);
    expect(errorOf(() => authorize(student, 'round.publish'))).toBe('403 FORBIDDEN');
    expect(errorOf(() => authorize(auditor, 'flags.review'))).toBe('403 FORBIDDEN');
    expect(errorOf(() => authorize(high, 'audit.read'))).toBe('403 FORBIDDEN');
  });

  it('holds a county bureau to the city-bureau actions it passes the route guard of', () => {
    for (const action of ['cycle.create', 'cycle.schedule.edit', 'cycle.seed.set', 'imports.run', 'plan.set', 'junior.weight.set', 'quotas.compute', 'round.start', 'round.publish', 'plan.change.cosign'] as const) {
      expect(roleMay('bureau', action), action).toBe(true);
      expect(can(cityBureau, action), action).toBe(true);
      expect(errorOf(() => authorize(county, action)), action).toBe('403 FORBIDDEN');
    }
  });

  it('lets the city bureau and inspectors have the bundle, not a county bureau', () => {
    expect(can(cityBureau, 'round.bundle.read')).toBe(true);
    expect(can(auditor, 'round.bundle.read')).toBe(true);
    expect(can(county, 'round.bundle.read')).toBe(false);
  });

  it('lets county bureaus do what is theirs: flags, kindergarten filings, the registry import', () => {
    for (const action of ['flags.review', 'flags.detect', 'kindergarten.filing.review', 'kindergarten.imports.run', 'plan.change.list', 'dashboard.read'] as const) {
      expect(errorOf(() => authorize(county, action)), action).toBeNull();
    }
  });

  it('checks the subject: a county bureau decides plan changes of its region-scope schools only', () => {
    expect(can(county, 'plan.change.decide', { id: 'h1', regionCode: '430202', scope: 'region' })).toBe(true);
    expect(errorOf(() => authorize(county, 'plan.change.decide', { id: 'h1', regionCode: '430202', scope: 'city' }))).toBe('403 FORBIDDEN');
    expect(errorOf(() => authorize(county, 'plan.change.decide', { id: 'h9', regionCode: '430281', scope: 'region' }))).toBe('403 FORBIDDEN');
    expect(can(cityBureau, 'plan.change.decide', { id: 'h1', regionCode: '430202', scope: 'city' })).toBe(true);
  });

  it('hides someone else\'s job as 404 NOT_FOUND, never confirming it exists', () => {
    expect(can(high, 'job.read', { createdBy: high.id })).toBe(true);
    expect(verdict(high, 'job.read', { createdBy: 'someone-else' })).toBe('hidden');
    expect(errorOf(() => authorize(high, 'job.read', { createdBy: 'someone-else' }))).toBe('404 NOT_FOUND');
    expect(errorOf(() => authorize(county, 'job.read', { createdBy: cityBureau.id }))).toBe('404 NOT_FOUND');
    expect(errorOf(() => authorize(auditor, 'job.read', { createdBy: null }))).toBeNull();
  });

  it('lets a student confirm a seat only with a student record behind the account', () => {
    expect(can(student, 'round.confirm')).toBe(true);
    expect(errorOf(() => authorize(actor('student'), 'round.confirm'))).toBe('403 FORBIDDEN');
  });

  it('lets junior schools with a school, and bureaus, issue activation codes', () => {
    expect(can(actor('junior', { juniorSchoolId: 'j1' }), 'account.activation.issue')).toBe(true);
    expect(can(actor('junior'), 'account.activation.issue')).toBe(false);
    expect(can(county, 'account.activation.issue')).toBe(true);
    expect(can(high, 'account.activation.issue')).toBe(false);
  });

  it('keeps past years from students and unpublished tables for the bureau and inspectors', () => {
    expect(ROLES.filter((r) => roleMay(r, 'pastYear.read'))).toEqual(ROLES.filter((r) => r !== 'student'));
    expect(ROLES.filter((r) => roleMay(r, 'unpublished.read'))).toEqual(['bureau', 'auditor']);
  });
});
