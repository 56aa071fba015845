import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countAbove, scoreTable, scoreTableFromCounts, tableTotal } from './score-table';

describe('一分一段表 (score table)', () => {
  it('lists each distinct total, highest first, with its count and the cumulative count at or above it', () => {
    expect(scoreTable([600, 650.5, 600, 700, 650.5, 650.5])).toEqual([
      { score: 700, count: 1, cumulative: 1 },
      { score: 650.5, count: 3, cumulative: 4 },
      { score: 600, count: 2, cumulative: 6 },
    ]);
  });

  it('adds up groups with the same score (one per region) and drops empty groups', () => {
    const table = scoreTableFromCounts([
      { score: 600, count: 2 },
      { score: 610, count: 1 },
      { score: 600, count: 3 },
      { score: 590, count: 0 },
    ]);
    expect(table).toEqual([
      { score: 610, count: 1, cumulative: 1 },
      { score: 600, count: 5, cumulative: 6 },
    ]);
    expect(tableTotal(table)).toBe(6);
  });

  it('is empty with no students', () => {
    expect(scoreTable([])).toEqual([]);
    expect(tableTotal([])).toBe(0);
    expect(countAbove([], 500)).toBe(0);
  });

  it('counts the students strictly above a score, present in the table or not', () => {
    const table = scoreTable([700, 650, 650, 600]);
    expect(countAbove(table, 800)).toBe(0);
    expect(countAbove(table, 700)).toBe(0);
    expect(countAbove(table, 699.5)).toBe(1);
    expect(countAbove(table, 650)).toBe(1);
    expect(countAbove(table, 600)).toBe(3);
    expect(countAbove(table, 0)).toBe(4);
  });

  it('agrees with a brute-force count on random totals', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }).map((h) => 500 + h / 2), { maxLength: 200 }), fc.integer({ min: -2, max: 42 }), (totals, probe) => {
        const table = scoreTable(totals);
        for (const row of table) {
          expect(row.count).toBe(totals.filter((t) => t === row.score).length);
          expect(row.cumulative).toBe(totals.filter((t) => t >= row.score).length);
        }
        expect(new Set(totals).size).toBe(table.length);
        const score = 500 + probe / 2;
        expect(countAbove(table, score)).toBe(totals.filter((t) => t > score).length);
      }),
      { numRuns: 300 },
    );
  });
});
