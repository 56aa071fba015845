/**
 * One cycle policy, read the same way by every part of the platform (issue 15):
 * a cycle whose stored policy names no 学籍 cut-off (one made before the cut-off
 * was a policy key, or by hand) must give the import and the flag rules the
 * same date, or the import marks a student quota-eligible whom the flag rules
 * then flag for eligibility shopping. Before the cycle policy module, the
 * import defaulted to 1 September of year-1 and the flags to 30 September of
 * year-3.
 */
import { describe, expect, it } from 'vitest';
import { flagPolicyFrom } from '../domain/flags';
import { policyContext } from './import.service';

describe('the 学籍 cut-off of quota eligibility', () => {
  it('is the same date at import and in the flag rules, with or without a stored value', () => {
    for (const policy of [{}, null, { quotaEligibilityCutoff: '2024-02-01' }, { quotaEligibilityCutoff: 'not a date' }]) {
      const atImport = policyContext({ policy, year: 2026 }).quotaEligibilityCutoff;
      const inFlags = flagPolicyFrom(policy, 2026).quotaEligibilityCutoff.toISOString().slice(0, 10);
      expect(atImport, JSON.stringify(policy)).toBe(inFlags);
    }
    expect(policyContext({ policy: {}, year: 2026 }).quotaEligibilityCutoff).toBe('2023-09-01');
  });
});
