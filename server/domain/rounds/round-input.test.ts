import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical';
import { buildInstance, createInstanceBuilder, type StudentRow } from './round-input';

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
