import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical';
import { buildInstance, createInstanceBuilder, writeCanonicalJson, type StudentRow } from './round-input';

async function written(value: unknown, chunkChars?: number): Promise<{ text: string; pieces: number }> {
  const pieces: string[] = [];
  await writeCanonicalJson(value, async (chunk) => void pieces.push(chunk), { chunkChars });
  return { text: pieces.join(''), pieces: pieces.length };
}

describe('writeCanonicalJson', () => {
  it('writes exactly canonicalJson, in pieces, for large and odd values', async () => {
    const big: Record<string, unknown> = {};
    for (let i = 0; i < 3_000; i++) big[`S${String(3_000 - i).padStart(5, '0')}`] = { z: i, a: [i, undefined, 'x"\\\n\t'], m: { '10': 1, '2': 2, b: 3, '01': 4 } };
    const value = {
      format: 'f',
      students: Array.from({ length: 2_500 }, (_, i) => ({ id: `S${i}`, choices: { '2': ['H2'], '10': [], '1': ['H1'] }, total: i / 2, skip: undefined })),
      assignments: big,
      nested: { deep: { deeper: { list: [1, 2, { b: 1, a: 2 }] } } },
      date: new Date(Date.UTC(2026, 0, 2)),
      unassigned: Array.from({ length: 1_200 }, (_, i) => `U${i}`),
      empty: {},
      nothing: null,
      '3': 'index key',
      // Index-like keys (JavaScript enumerates them first, ascending) among others, some members undefined, a Date in a batch.
      indexed: { ...Object.fromEntries(Array.from({ length: 1_500 }, (_, i) => [String((i * 7) % 1_500), i % 5 === 0 ? undefined : i])), x: 1, '01': new Date(0) },
      holes: Array.from({ length: 1_300 }, (_, i) => (i % 3 === 0 ? undefined : { b: i, a: [undefined] })),
    };
    const expected = canonicalJson(value);
    const small = await written(value, 4_096);
    expect(small.text).toBe(expected);
    expect(small.pieces).toBeGreaterThan(10);
    expect((await written(value)).text).toBe(expected);
    expect((await written([1, 'a', { b: [] }])).text).toBe(canonicalJson([1, 'a', { b: [] }]));
    expect((await written('text')).text).toBe(canonicalJson('text'));
    const largeArray = Array.from({ length: 3_000 }, (_, i) => ({ z: i, a: `${i}` }));
    expect((await written(largeArray, 4_096)).text).toBe(canonicalJson(largeArray));
  });
});

describe('createInstanceBuilder', () => {
  const plans = [
    { highSchoolId: 'H02', regionCode: 'HT', ownership: 'public', scope: 'city' as const, batch: 1, capacity: 2, minScore: null, minEvaluation: null, quotaMinScore: null, quotaMinEvaluation: null },
    { highSchoolId: 'H01', regionCode: 'LS', ownership: 'private', scope: 'region' as const, batch: 2, capacity: 3, minScore: 400, minEvaluation: 'C' as const, quotaMinScore: null, quotaMinEvaluation: null },
  ];
  const row = (examNo: string, studentId: string, choices: unknown): StudentRow => ({
    studentId, examNo, juniorSchoolId: 'J01', regionCode: 'HT', total: 500, scores: { math: 100, chinese: 90 }, evaluation: 'B', quotaEligible: true, choices,
  });
  it('gives buildInstance\'s instance and each student\'s row id beside it', () => {
    const students = [row('S3', 'r3', { '1': ['H02', 'H02', 'H01'], '2': ['H01'] }), row('S1', 'r1', { '2': ['H01'], x: ['H02'] }), row('S2', 'r2', {})];
    const props = { seed: 's', policy: {}, plans, quotas: [{ highSchoolId: 'H02', juniorSchoolId: 'J01', seats: 1 }], students };
    const builder = createInstanceBuilder(props);
    for (const s of students) builder.add(s);
    const built = builder.finish();
    const expected = buildInstance(props);
    expect(canonicalJson(built.instance)).toBe(canonicalJson(expected.instance));
    expect(built.droppedChoices).toBe(expected.droppedChoices);
    expect(built.droppedChoices).toBe(3);
    expect(built.instance.students.map((s) => s.id)).toEqual(['S1', 'S2', 'S3']);
    expect(built.studentIds).toEqual(['r1', 'r2', 'r3']);
  });
});
