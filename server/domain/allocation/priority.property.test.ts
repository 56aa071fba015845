import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileInstance, type CompiledInstance } from './compile';
import { compareStrings, lotteryNumber, priorityOrder, priorityOrderByColumns, tieBreakValue } from './priority';
import { instanceArb } from './testing/arbitrary';
import type { AllocationInstance } from './types';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

/** §2.1 read literally: a comparator over all keys, the lottery and the id. */
function orderByComparator(inst: CompiledInstance): number[] {
  const n = inst.studentIds.length;
  const ids = inst.studentIds;
  const values = Array.from({ length: n }, (_, s) => inst.tieBreak.map((key) => tieBreakValue(key, inst.evaluation[s], inst.scores[s])));
  const lottery = ids.map((id) => lotteryNumber(inst.seed, id));
  return Array.from({ length: n }, (_, s) => s).sort((a, b) => {
    if (inst.total[a] !== inst.total[b]) return inst.total[b] - inst.total[a];
    for (let k = 0; k < inst.tieBreak.length; k++) {
      if (values[a][k] !== values[b][k]) return values[b][k] > values[a][k] ? 1 : -1;
    }
    return compareStrings(lottery[a], lottery[b]) || compareStrings(ids[a], ids[b]);
  });
}

function check(instance: AllocationInstance): void {
  const inst = compileInstance(instance);
  const expected = orderByComparator(inst);
  const { order, rank, columns } = priorityOrder(inst);
  expect(Array.from(order)).toEqual(expected);
  expected.forEach((s, r) => expect(rank[s]).toBe(r));
  expect(Array.from(priorityOrderByColumns(inst).order)).toEqual(expected);
  // The tie-break columns (read lazily) are the §2.1 values.
  inst.tieBreak.forEach((key, k) => {
    for (let s = 0; s < inst.studentIds.length; s++) expect(columns[k][s]).toBe(tieBreakValue(key, inst.evaluation[s], inst.scores[s]));
  });
}

/** Scores spread over millions of points: the keys need more than 64 bits, and priorityOrder takes its fallback. */
const wideArb: fc.Arbitrary<AllocationInstance> = fc
  .array(
    fc.record({
      // Half points spanning just under 2,000,000 points: 22 bits each.
      total: fc.constantFrom(0.5, 1_000_000, 1_999_999.5),
      a: fc.option(fc.constantFrom(0, 1_999_999), { nil: undefined }),
      b: fc.constantFrom(-999_999.5, 0, 999_999.5),
      c: fc.constantFrom(0, 1_999_999),
    }),
    { maxLength: 40 },
  )
  .map((rows) => ({
    format: 'zz-admissions/allocation-instance@1' as const,
    seed: 'wide',
    policy: { tieBreak: ['a', 'b', 'c', 'a+c'] },
    highSchools: [],
    students: rows.map((row, i) => ({
      id: `S${i}`,
      junior: 'J1',
      region: 'R1',
      total: row.total,
      scores: { ...(row.a === undefined ? {} : { a: row.a }), b: row.b, c: row.c },
      evaluation: 'B' as const,
      quotaEligible: false,
      choices: {},
    })),
  }));

describe('priority order (§2.1), property-based', () => {
  it('is the comparator order of §2.1 (radix path and fallback path), with ranks its inverse', () => {
    fc.assert(fc.property(instanceArb, check), { numRuns: RUNS });
  });

  // Few runs: the fallback's dense ranks build a table over the 4,000,000 half points of each key.
  it('stays exact when the keys need more than 64 bits', () => {
    fc.assert(fc.property(wideArb, check), { numRuns: 20 });
  }, 120_000);
});
