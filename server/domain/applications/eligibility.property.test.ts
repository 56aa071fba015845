/**
 * The portal's eligibility (what a family sees and the save rule checks) is
 * the engine's (ALLOCATION.md §2.2), on random adversarial instances: for
 * every student and school, open and quota eligibility agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileInstance } from '../allocation/compile';
import { isOpenEligible, isQuotaEligible } from '../allocation/eligibility';
import { instanceArb } from '../allocation/testing/arbitrary';
import { schoolEligibility } from './eligibility';

describe('portal eligibility = engine eligibility (§2.2)', () => {
  it('agrees for every student and school of random instances', () => {
    fc.assert(
      fc.property(instanceArb, (instance) => {
        const inst = compileInstance(instance);
        const studentAt = new Map(inst.studentIds.map((id, i) => [id, i]));
        for (const [h, school] of instance.highSchools.entries()) {
          expect(inst.schools[h].id).toBe(school.id);
          for (const student of instance.students) {
            const s = studentAt.get(student.id)!;
            const portal = schoolEligibility(
              { region: student.region, junior: student.junior, total: student.total, evaluation: student.evaluation, quotaEligible: student.quotaEligible },
              {
                region: school.region,
                scope: school.scope,
                minScore: school.minScore,
                minEvaluation: school.minEvaluation,
                quotaSeatsForJunior: school.quota?.[student.junior] ?? 0,
                quotaMinScore: school.quotaMinScore,
                quotaMinEvaluation: school.quotaMinEvaluation,
              },
            );
            expect(portal.open.eligible, `open ${student.id} at ${school.id}`).toBe(isOpenEligible(inst, h, s));
            expect(portal.quota.eligible, `quota ${student.id} at ${school.id}`).toBe(isQuotaEligible(inst, h, s));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
