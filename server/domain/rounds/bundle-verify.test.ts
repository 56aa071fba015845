import { describe, expect, it } from 'vitest';
import { allocate } from '../allocation/engine';
import type { AllocationInstance } from '../allocation/types';
import { verifyBundle } from './bundle-verify';
import { canonicalJson, sha256Hex } from './canonical';
import { seedCommitmentOf } from './seed';

const SEED = 'a-secret-seed-of-enough-length';

function bundle(): any {
  const input: AllocationInstance = {
    format: 'zz-admissions/allocation-instance@1',
    seed: SEED,
    policy: { quotaPrecedence: 'openFirst', unusedQuota: 'revert', tieBreak: [] },
    highSchools: [{ id: 'H1', region: 'R', batch: 1, scope: 'city', capacity: 1 }],
    students: [
      { id: 'a', junior: 'J1', region: 'R', total: 600, evaluation: 'A', quotaEligible: false, choices: { '1': ['H1'] } },
      { id: 'b', junior: 'J1', region: 'R', total: 600, evaluation: 'A', quotaEligible: false, choices: { '1': ['H1'] } },
    ],
  };
  const result = allocate(input, { explain: true });
  return {
    input,
    result,
    seed: SEED,
    seedCommitment: seedCommitmentOf(SEED),
    sha256: { input: sha256Hex(canonicalJson(input)), result: sha256Hex(canonicalJson(result)) },
  };
}

const failed = (b: unknown) => verifyBundle(b).filter((c) => !c.ok).map((c) => c.name);

describe('verifyBundle', () => {
  it('holds for an honest bundle', () => {
    const checks = verifyBundle(bundle());
    expect(checks.map((c) => c.name)).toEqual(['seed in the input', 'seed commitment', 'input hash', 'result hash', 're-run']);
    expect(checks.every((c) => c.ok)).toBe(true);
  });

  it('fails on another seed, even with the hashes recomputed (the lottery decides the tie)', () => {
    const b = bundle();
    b.seed = b.input.seed = 'another-seed-chosen-later';
    b.sha256.input = sha256Hex(canonicalJson(b.input));
    expect(failed(b)).toContain('seed commitment');
  });

  it('fails on a changed result, and on a changed input with its hash recomputed', () => {
    const r = bundle();
    const [winner] = Object.keys(r.result.assignments);
    const loser = winner === 'a' ? 'b' : 'a';
    r.result.assignments = { [loser]: r.result.assignments[winner] };
    r.result.unassigned = [winner];
    expect(failed(r)).toEqual(['result hash', 're-run']);
    r.sha256.result = sha256Hex(canonicalJson(r.result));
    expect(failed(r)).toEqual(['re-run']);

    const i = bundle();
    i.input.students[winner === 'a' ? 1 : 0].total = 700;
    expect(failed(i)).toEqual(['input hash', 're-run']);
  });

  it('names a bundle that is not one', () => {
    expect(failed({ hello: 1 })).toEqual(['bundle']);
    const b = bundle();
    b.seedCommitment = null;
    expect(failed(b)).toEqual(['seed commitment']);
  });
});
