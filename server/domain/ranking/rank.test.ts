import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileInstance } from '../allocation/compile';
import { priorityOrder } from '../allocation/priority';
import { instanceArb } from '../allocation/testing/arbitrary';
import { compareRankKeys, rankAmong, rankFromTable, rankKey, ranksWithTies, type RankedStudent } from './rank';
import { countAbove, scoreTable } from './score-table';

const TIE_BREAK = ['chinese+math+english', 'math', 'evaluation'];
const student = (total: number, chinese: number | null, math: number | null, english: number | null, evaluation = 'B'): RankedStudent => ({
  total,
  evaluation,
  scores: { chinese, math, english },
});

describe('rankKey and compareRankKeys', () => {
  it('orders by total, then each tie-break key in the policy order', () => {
    const a = rankKey(student(600, 100, 110, 100), TIE_BREAK); // 310
    const b = rankKey(student(600, 100, 105, 110), TIE_BREAK); // 315: more on the first key
    const c = rankKey(student(601, 0, 0, 0), TIE_BREAK);
    expect(compareRankKeys(c, a)).toBeLessThan(0);
    expect(compareRankKeys(b, a)).toBeLessThan(0);
    expect(compareRankKeys(a, b)).toBeGreaterThan(0);
    expect(a).toEqual([600, 310, 110, 3]);
  });

  it('puts a missing score below every present one, and a sum with a missing part as missing', () => {
    const missing = rankKey(student(600, null, 120, 120), TIE_BREAK);
    const zero = rankKey(student(600, 0, 0, 0), TIE_BREAK);
    expect(missing[1]).toBe(-Infinity);
    expect(compareRankKeys(zero, missing)).toBeLessThan(0);
    expect(rankKey({ total: 1, evaluation: 'A', scores: null }, ['math'])).toEqual([1, -Infinity]);
  });

  it('compares grades A > B > C > D under the evaluation key', () => {
    const keys = ['D', 'A', 'C', 'B'].map((g) => rankKey(student(500, 1, 1, 1, g), ['evaluation']));
    expect(ranksWithTies(keys)).toEqual([4, 1, 3, 2]);
  });

  it('without tie-break keys, compares the total only', () => {
    expect(compareRankKeys(rankKey(student(500, 1, 2, 3), []), rankKey(student(500, 3, 2, 1), []))).toBe(0);
  });
});

describe('rank with ties', () => {
  it('gives students equal on every key the same rank, and counts them all for the next (1224)', () => {
    const cohort = [
      student(700, 100, 100, 100), // 1
      student(650, 100, 100, 100), // 2 (tied)
      student(650, 100, 100, 100), // 2 (tied)
      student(650, 90, 100, 100), // 4: same total, lower first tie-break
      student(640, 100, 100, 100), // 5
    ].map((s) => rankKey(s, TIE_BREAK));
    expect(ranksWithTies(cohort)).toEqual([1, 2, 2, 4, 5]);
    expect(cohort.map((k) => rankAmong(k, cohort))).toEqual([1, 2, 2, 4, 5]);
  });

  it('breaks a tie on the total by the tie-break keys before sharing a rank', () => {
    const cohort = [student(600, 100, 100, 100, 'C'), student(600, 100, 100, 100, 'A'), student(600, 100, 99, 101, 'A')].map((s) =>
      rankKey(s, TIE_BREAK),
    );
    // Same sum; math decides between the first two and the third; evaluation between the first two.
    expect(ranksWithTies(cohort)).toEqual([2, 1, 3]);
  });

  it('is the same from the score table and the students tied on the total as from the whole cohort', () => {
    const subject = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.record({ total: fc.integer({ min: 0, max: 6 }).map((t) => 500 + t / 2), chinese: subject, math: subject, english: subject, evaluation: fc.constantFrom('A', 'B', 'C', 'D') }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.subarray(['chinese+math+english', 'math', 'english', 'evaluation']),
        (rows, tieBreak) => {
          const students = rows.map((r) => student(r.total, r.chinese, r.math, r.english, r.evaluation));
          const keys = students.map((s) => rankKey(s, tieBreak));
          const table = scoreTable(students.map((s) => s.total));
          const ranks = ranksWithTies(keys);
          keys.forEach((key, i) => {
            const tied = keys.filter((k) => k[0] === key[0]);
            expect(rankFromTable(key, countAbove(table, key[0]), tied)).toBe(ranks[i]);
            expect(rankAmong(key, keys)).toBe(ranks[i]);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("agrees with the allocation engine's priority order: a rank is 1 + the engine position of the first of its tie group", () => {
    fc.assert(
      fc.property(instanceArb, (instance) => {
        const compiled = compileInstance(instance);
        const { order } = priorityOrder(compiled);
        const tieBreak = instance.policy?.tieBreak ?? [];
        const keys = instance.students.map((s) => rankKey(s, tieBreak));
        const ranks = ranksWithTies(keys);
        const index = new Map(instance.students.map((s, i) => [s.id, i]));
        let groupStart = 0;
        for (let p = 0; p < order.length; p++) {
          const s = index.get(compiled.studentIds[order[p]])!;
          if (p > 0) {
            const prev = index.get(compiled.studentIds[order[p - 1]])!;
            const cmp = compareRankKeys(keys[prev], keys[s]);
            // The engine never puts a student after one our order ranks lower.
            expect(cmp).toBeLessThanOrEqual(0);
            if (cmp < 0) groupStart = p;
          }
          expect(ranks[s]).toBe(groupStart + 1);
        }
      }),
      { numRuns: 150 },
    );
  });
});
