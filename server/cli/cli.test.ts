import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/allocation');

/** Runs `npm run -s <script> -- in out` exactly as ALLOCATION.md §3 writes it. */
function run(script: 'allocate' | 'quotas', input: string, output: string) {
  return spawnSync('npm', ['run', '-s', script, '--', input, output], { cwd: ROOT, encoding: 'utf8' });
}

describe('command line (§3)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zz-cli-'));

  it('allocate writes the result of the worked example', () => {
    const out = join(dir, 'random-04.result.json');
    const r = run('allocate', join(FIXTURES, 'random-04.instance.json'), out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'random-04.result.json'), 'utf8'));
    expect(result.assignments).toEqual(expected.assignments);
    expect(result.unassigned).toEqual(expected.unassigned);
  });

  it('quotas writes the result of the worked example', () => {
    const out = join(dir, 'quota-01.result.json');
    const r = run('quotas', join(FIXTURES, 'quota-01.instance.json'), out);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).format).toBe('zz-admissions/quota-result@1');
  });

  it('exits non-zero naming the record, and writes no file, on bad input', () => {
    const bad = JSON.parse(readFileSync(join(FIXTURES, 'random-01.instance.json'), 'utf8'));
    bad.students[2].choices = { '1': ['H404'] };
    const input = join(dir, 'bad.json');
    writeFileSync(input, JSON.stringify(bad));
    const out = join(dir, 'bad.result.json');
    const r = run('allocate', input, out);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/students\[2\] \(id "[^"]+"\)\.choices\["1"\]\[0\]: unknown high school "H404"/);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a file that is not JSON', () => {
    const input = join(dir, 'garbage.json');
    writeFileSync(input, '{ not json');
    const r = run('quotas', input, join(dir, 'garbage.out.json'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cannot read/);
    expect(existsSync(join(dir, 'garbage.out.json'))).toBe(false);
  });
});
