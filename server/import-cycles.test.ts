/**
 * No import cycles, in the server, the jobs and the client (issue 15): a cycle
 * makes module start-up order matter and hides which layer depends on which.
 * TypeScript files are checked with dpdm (type-only imports skipped: they
 * vanish at run time); the client's .vue files, which dpdm cannot read, by a
 * small graph of their <script> imports (value imports, `@/` and relative).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');

describe('import cycles', () => {
  it('none in the server and jobs (dpdm)', () => {
    const run = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/dpdm/lib/bin/dpdm.js'), '--no-tree', '--no-warning', '-T', '--exit-code', 'circular:1', 'server/**/*.ts', 'jobs/**/*.ts', 'client/src/**/*.ts'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('none in the client, .vue files included', () => {
    const src = path.join(root, 'client/src');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.(ts|vue)$/.test(name) && !name.endsWith('.test.ts')) files.push(full);
      }
    };
    walk(src);
    const resolve = (from: string, spec: string): string | null => {
      const base = spec.startsWith('@/') ? path.join(src, spec.slice(2)) : spec.startsWith('.') ? path.resolve(path.dirname(from), spec) : null;
      if (!base) return null;
      for (const candidate of [base, `${base}.ts`, `${base}.vue`, path.join(base, 'index.ts')]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
      return null;
    };
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const code = file.endsWith('.vue') ? [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n') : text;
      const deps: string[] = [];
      for (const m of code.matchAll(/^\s*import\s+(?!type\s)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
        const target = resolve(file, m[1]);
        if (target) deps.push(target);
      }
      graph.set(file, deps);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'visiting');
      stack.push(file);
      for (const dep of graph.get(file) ?? []) {
        if (state.get(dep) === 'visiting') cycles.push([...stack.slice(stack.indexOf(dep)), dep].map((f) => path.relative(root, f)).join(' -> '));
        else if (!state.has(dep)) visit(dep);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(files.length).toBeGreaterThan(50);
    expect(cycles).toEqual([]);
  });
});
