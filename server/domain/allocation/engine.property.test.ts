import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../rounds/canonical';
import { allocate, allocateToJson, match } from './engine';
import { checkAllocation, checkResultArrays } from './invariants';
import { NO_SCHOOL } from './matching';
import { summarizeSchools } from './result';
import { allocateByRounds, allocateOneAtATime } from './reference';
import { instanceArb, mustFields } from './testing/arbitrary';
import type { AllocationInstance } from './types';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);

/** A deterministic shuffle driven by fast-check's random numbers. */
function permute<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)] ?? 0, i }))
    .sort((a, b) => a.key - b.key || b.i - a.i)
    .map((x) => x.item);
}

describe('allocation engine, property-based', () => {
  it('satisfies every invariant of §2.6', () => {
    fc.assert(
      fc.property(instanceArb, (instance) => {
        const report = checkAllocation(instance, allocate(instance));
        expect(report.violations).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees with round-by-round DA and with one proposal at a time in random order', () => {
    fc.assert(
      fc.property(instanceArb, fc.infiniteStream(fc.nat()), (instance, stream) => {
        const engine = mustFields(allocate(instance));
        expect(mustFields(allocateByRounds(instance))).toEqual(engine);
        const picks = stream[Symbol.iterator]();
        const oneAtATime = allocateOneAtATime(instance, (count) => (picks.next().value as number) % count);
        expect(mustFields(oneAtATime)).toEqual(engine);
      }),
      { numRuns: RUNS },
    );
  });

  it('does not depend on the order of students, schools or quota entries in the input', () => {
    fc.assert(
      fc.property(instanceArb, fc.array(fc.nat(), { minLength: 1, maxLength: 50 }), (instance, keys) => {
        const shuffled: AllocationInstance = {
          ...instance,
          students: permute(instance.students, keys),
          highSchools: permute(instance.highSchools, keys.slice().reverse()).map((h) => ({
            ...h,
            quota: h.quota ? Object.fromEntries(Object.entries(h.quota).reverse()) : h.quota,
          })),
        };
        expect(mustFields(allocate(shuffled))).toEqual(mustFields(allocate(instance)));
      }),
      { numRuns: RUNS },
    );
  });

  it('the checker judges the engine\'s matching by index as it judges the result, whatever order it is offered', () => {
    fc.assert(
      fc.property(instanceArb, fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), (instance, keys) => {
        const { inst, prio, matching } = match(instance);
        const schools = summarizeSchools(inst, prio, matching, false);
        const unassigned = prio.order.filter((s) => matching.schoolOf[s] === NO_SCHOOL);
        const arrays = { schoolOf: matching.schoolOf, seatOf: matching.seatOf, unassigned, schools };
        expect(checkResultArrays(inst, arrays, { order: prio.order })).toEqual(checkAllocation(instance, allocate(instance)));
        // A wrong order offered (shuffled, or with a student twice) is not taken: the checker sorts itself.
        const shuffled = Int32Array.from(permute([...prio.order], keys));
        expect(checkResultArrays(inst, arrays, { order: shuffled }).ok).toBe(true);
        if (prio.order.length > 1) {
          const twice = Int32Array.from(prio.order);
          twice[1] = twice[0];
          expect(checkResultArrays(inst, arrays, { order: twice }).ok).toBe(true);
          // And an unassigned list out of priority order is caught with the engine's order offered.
          if (unassigned.length > 1) {
            const reversed = { ...arrays, unassigned: Int32Array.from(unassigned).reverse() };
            expect(checkResultArrays(inst, reversed, { order: prio.order }).ok).toBe(false);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the checker catches a tampered result', () => {
    fc.assert(
      fc.property(instanceArb, (instance) => {
        const result = allocate(instance);
        const assigned = Object.keys(result.assignments);
        fc.pre(assigned.length > 0);
        // Move the first assigned student to unassigned: the summary and the order must break.
        const [victim] = assigned;
        const { [victim]: _removed, ...rest } = result.assignments;
        const tampered = { ...result, assignments: rest, unassigned: [...result.unassigned, victim] };
        expect(checkAllocation(instance, tampered).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('JSON serialization', () => {
  it('allocateToJson writes exactly the canonical text of what allocate returns', () => {
    fc.assert(
      fc.property(instanceArb, fc.boolean(), fc.integer({ min: 1, max: 5 }), (instance, explain, chunkSize) => {
        const chunks: string[] = [];
        allocateToJson(instance, (c) => chunks.push(c), { explain, chunkSize });
        expect(chunks.join('')).toBe(canonicalJson(allocate(instance, { explain })));
      }),
      { numRuns: 500 },
    );
  });

  it('writes students in canonical key order whatever the input order (index-like ids first, as numbers)', () => {
    const ids = fc.constantFrom('7', '10', '2', '4294967295', '01', 'S2', 'S10', 'a', '20264302', '2026430201000047');
    fc.assert(
      fc.property(instanceArb, fc.array(ids, { minLength: 40, maxLength: 40 }), (instance, names) => {
        // Distinct ids, in the generated (unsorted) order.
        const renamed = { ...instance, students: [...instance.students].reverse().map((s, i) => ({ ...s, id: `${names[i]}${'x'.repeat(Math.floor(i / names.length))}${i}` })) };
        for (const explain of [true, false]) {
          const chunks: string[] = [];
          allocateToJson(renamed, (c) => chunks.push(c), { explain });
          expect(chunks.join('')).toBe(canonicalJson(allocate(renamed, { explain })));
        }
      }),
      { numRuns: 200 },
    );
  });
});
