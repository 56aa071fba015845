/**
 * fast-check generators of small, adversarial allocation instances: few
 * distinct totals (so ties reach the tie-breaks and the lottery), missing
 * scores, thresholds, region scopes, several batches, both policies.
 */
import fc from 'fast-check';
import type { AllocationInstance, Grade, HighSchoolInput, StudentInput } from '../types';

const GRADES: Grade[] = ['A', 'B', 'C', 'D'];
const SUBJECTS = ['chinese', 'math', 'english'];

export const policyArb = fc.record({
  quotaPrecedence: fc.constantFrom('openFirst' as const, 'quotaFirst' as const),
  unusedQuota: fc.constantFrom('revert' as const, 'keep' as const),
  tieBreak: fc.subarray(['chinese+math+english', 'math', 'evaluation', 'english', 'chinese+math']),
});

export const instanceArb: fc.Arbitrary<AllocationInstance> = fc
  .record({
    regions: fc.integer({ min: 1, max: 3 }),
    juniors: fc.integer({ min: 1, max: 4 }),
    batches: fc.integer({ min: 1, max: 3 }),
    schoolCount: fc.integer({ min: 1, max: 6 }),
    studentCount: fc.integer({ min: 0, max: 60 }),
    seed: fc.string({ maxLength: 8 }),
    policy: policyArb,
    /** Totals in thirds of a point: not whole or half points, so the priority sort takes its general path. */
    thirds: fc.boolean(),
  })
  .chain((shape) => {
    const region = fc.integer({ min: 1, max: shape.regions }).map((r) => `R${r}`);
    const junior = fc.integer({ min: 1, max: shape.juniors }).map((j) => `J${j}`);
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
    const school = fc
      .record({
        region,
        batch: fc.integer({ min: 1, max: shape.batches }),
        scope: fc.constantFrom('city' as const, 'region' as const),
        capacity: fc.integer({ min: 0, max: 8 }),
        quotaJuniors: fc.subarray(Array.from({ length: shape.juniors }, (_, j) => `J${j + 1}`)),
        quotaShares: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
        minScore: maybe(fc.integer({ min: 495, max: 510 })),
        minEvaluation: maybe(fc.constantFrom(...GRADES)),
        quotaMinScore: maybe(fc.integer({ min: 490, max: 510 })),
        quotaMinEvaluation: maybe(fc.constantFrom(...GRADES)),
        ownership: fc.constantFrom('public', 'private'),
      })
      .map((s) => {
        // Quota seats never above capacity.
        let left = s.capacity;
        const quota: Record<string, number> = {};
        s.quotaJuniors.forEach((j, i) => {
          const seats = Math.min(left, s.quotaShares[i] ?? 0);
          quota[j] = seats;
          left -= seats;
        });
        return { ...s, quota };
      });
    const student = fc.record({
      junior,
      region,
      total: fc.integer({ min: 990, max: 1020 }).map((t) => (shape.thirds ? (t * 2) / 3 : t / 2)),
      scores: fc.option(
        fc.dictionary(fc.constantFrom(...SUBJECTS), fc.integer({ min: 0, max: 3 }), { maxKeys: 3 }),
        { nil: undefined },
      ),
      evaluation: fc.constantFrom(...GRADES),
      quotaEligible: fc.boolean(),
      picks: fc.array(fc.integer({ min: 0, max: shape.schoolCount - 1 }), { maxLength: 6 }),
    });
    return fc.record({
      shape: fc.constant(shape),
      schools: fc.array(school, { minLength: shape.schoolCount, maxLength: shape.schoolCount }),
      students: fc.array(student, { minLength: shape.studentCount, maxLength: shape.studentCount }),
    });
  })
  .map(({ shape, schools, students }): AllocationInstance => {
    const highSchools: HighSchoolInput[] = schools.map((s, i) => {
      const out: HighSchoolInput = {
        id: `H${i + 1}`,
        region: s.region,
        ownership: s.ownership,
        batch: s.batch,
        scope: s.scope,
        capacity: s.capacity,
        quota: s.quota,
      };
      if (s.minScore !== undefined) out.minScore = s.minScore;
      if (s.minEvaluation !== undefined) out.minEvaluation = s.minEvaluation;
      if (s.quotaMinScore !== undefined) out.quotaMinScore = s.quotaMinScore;
      if (s.quotaMinEvaluation !== undefined) out.quotaMinEvaluation = s.quotaMinEvaluation;
      return out;
    });
    const studentInputs: StudentInput[] = students.map((st, i) => {
      const choices: Record<string, string[]> = {};
      for (const p of new Set(st.picks)) {
        const sc = highSchools[p];
        (choices[String(sc.batch)] ??= []).push(sc.id);
      }
      const out: StudentInput = {
        id: `S${String(i).padStart(3, '0')}`,
        junior: st.junior,
        region: st.region,
        total: st.total,
        evaluation: st.evaluation,
        quotaEligible: st.quotaEligible,
        choices,
      };
      if (st.scores !== undefined) out.scores = st.scores;
      return out;
    });
    return {
      format: 'zz-admissions/allocation-instance@1',
      seed: shape.seed,
      policy: shape.policy,
      highSchools,
      students: studentInputs,
    };
  });

/** The fields of a result that ALLOCATION.md §2.5 says MUST match, in a canonical form. */
export function mustFields(result: {
  assignments: Record<string, { school: string; seat: string; batch: number }>;
  unassigned: string[];
  schools: Record<string, { capacity: number; admitted: number; open: number; quota: number; reverted: number; lastAdmitted?: string }>;
}) {
  const assignments = Object.keys(result.assignments)
    .sort()
    .map((id) => [id, result.assignments[id].school, result.assignments[id].seat, result.assignments[id].batch]);
  const schools = Object.keys(result.schools)
    .sort()
    .map((id) => {
      const s = result.schools[id];
      return [id, s.capacity, s.admitted, s.open, s.quota, s.reverted, s.lastAdmitted ?? null];
    });
  return { assignments, unassigned: result.unassigned, schools };
}
