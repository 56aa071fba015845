import { describe, expect, it } from 'vitest';
import { allocate } from '../allocation/engine';
import type { AllocationInstance } from '../allocation/types';
import { canonicalJson, sha256Hex } from './canonical';
import { compareRounds } from './compare';
import { effectiveDecision, mayApplySupplementary, seatsLeft } from './confirmation';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined, so key order does not change the hash', () => {
    const a = { b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } };
    const b = { a: { d: [1, { y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(sha256Hex(canonicalJson(a))).toBe(sha256Hex(canonicalJson(b)));
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

function instance(policy: AllocationInstance['policy']): AllocationInstance {
  // H1: 2 seats, 1 quota seat for J1. Students a (J1, 700), b (J1, 650), c (J2, 680).
  return {
    format: 'zz-admissions/allocation-instance@1',
    seed: 'test',
    policy,
    highSchools: [
      { id: 'H1', region: 'R', batch: 1, scope: 'city', capacity: 2, quota: { J1: 1 } },
      { id: 'H2', region: 'R', batch: 1, scope: 'city', capacity: 5 },
    ],
    students: [
      { id: 'a', junior: 'J1', region: 'R', total: 700, evaluation: 'A', quotaEligible: true, choices: { '1': ['H1', 'H2'] } },
      { id: 'b', junior: 'J1', region: 'R', total: 650, evaluation: 'A', quotaEligible: true, choices: { '1': ['H1', 'H2'] } },
      { id: 'c', junior: 'J2', region: 'R', total: 680, evaluation: 'A', quotaEligible: true, choices: { '1': ['H1', 'H2'] } },
    ],
  };
}

describe('compareRounds', () => {
  it('lists who moves, quota seats used per junior school and cutoffs under two policies', () => {
    const ia = instance({ quotaPrecedence: 'openFirst' });
    const ib = instance({ quotaPrecedence: 'quotaFirst' });
    const a = { input: ia, result: allocate(ia) };
    const b = { input: ib, result: allocate(ib) };
    // openFirst: a takes the open seat, b the J1 quota seat; c goes to H2.
    expect(a.result.assignments.b).toMatchObject({ school: 'H1', seat: 'quota' });
    // quotaFirst: a takes the quota seat, c (680) the open seat; b goes to H2.
    expect(b.result.assignments.c).toMatchObject({ school: 'H1', seat: 'open' });
    const cmp = compareRounds(a, b);
    expect(cmp.moved).toEqual([
      { student: 'c', junior: 'J2', region: 'R', total: 680, from: 'H2', to: 'H1' },
      { student: 'b', junior: 'J1', region: 'R', total: 650, from: 'H1', to: 'H2' },
    ]);
    expect(cmp.quotaUsed).toEqual({ J1: { a: 1, b: 1 } });
    expect(cmp.cutoffs).toEqual({ H1: { a: 650, b: 680 }, H2: { a: 680, b: 650 } });
    expect(cmp.assigned).toEqual({ a: 3, b: 3 });
    expect(cmp.studentsOnlyInOne).toBe(0);
  });

  it('reports a school nobody entered with a null cutoff, and an unplaced student as from/to null', () => {
    const ia = instance({});
    ia.highSchools[1].capacity = 0;
    const ib = instance({});
    const cmp = compareRounds({ input: ia, result: allocate(ia) }, { input: ib, result: allocate(ib) });
    expect(cmp.cutoffs.H2).toEqual({ a: null, b: 680 });
    expect(cmp.moved).toEqual([{ student: 'c', junior: 'J2', region: 'R', total: 680, from: null, to: 'H2' }]);
  });
});

describe('confirmation rules', () => {
  it('counts silence as the policy says', () => {
    expect(effectiveDecision(undefined, true)).toBe('declined');
    expect(effectiveDecision(undefined, false)).toBe('confirmed');
    expect(effectiveDecision('declined', false)).toBe('declined');
    expect(effectiveDecision('confirmed', true)).toBe('confirmed');
  });

  it('counts seats left as capacity minus kept seats, silence per the policy', () => {
    const input = {
      capacity: { H1: 3, H2: 2, H3: 1 },
      admitted: { s1: 'H1', s2: 'H1', s3: 'H1', s4: 'H2', s5: 'H3' },
      answers: { s1: 'confirmed', s2: 'declined', s5: 'confirmed' } as const,
    };
    // s3 and s4 are silent.
    expect(seatsLeft({ ...input, silenceIsDecline: false })).toEqual({ H1: 1, H2: 1, H3: 0 });
    expect(seatsLeft({ ...input, silenceIsDecline: true })).toEqual({ H1: 2, H2: 2, H3: 0 });
  });

  it('lets unplaced students into 补录, and those who gave up their seat only where the policy lets decliners in', () => {
    const closed = { silenceIsDecline: false, declinedMayJoin: false };
    const open = { silenceIsDecline: false, declinedMayJoin: true };
    expect(mayApplySupplementary(undefined, undefined, closed)).toBe(true);
    expect(mayApplySupplementary('H1', 'declined', closed)).toBe(false);
    expect(mayApplySupplementary('H1', 'declined', open)).toBe(true);
    expect(mayApplySupplementary('H1', 'confirmed', { ...open, silenceIsDecline: true })).toBe(false);
    expect(mayApplySupplementary('H1', undefined, open)).toBe(false);
    expect(mayApplySupplementary('H1', undefined, { ...open, silenceIsDecline: true })).toBe(true);
    expect(mayApplySupplementary('H1', undefined, { ...closed, silenceIsDecline: true })).toBe(false);
  });
});
