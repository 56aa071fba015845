/**
 * The application policy the student portal enforces: how many schools a
 * student may list per batch (志愿数). The one place where the default lives;
 * a cycle overrides it with `policy.maxChoicesPerBatch`, e.g. `{"1": 4, "2": 4, "3": 2}`.
 */

/** Default number of choices per batch when the cycle's policy names none. */
export const DEFAULT_MAX_CHOICES_PER_BATCH: Readonly<Record<string, number>> = { '1': 4, '2': 4, '3': 2 };

/** For a batch the policy does not name. */
export const FALLBACK_MAX_CHOICES = 2;

/** The per-batch maximum from a cycle's policy JSON, falling back to the defaults for anything missing or malformed. */
export function maxChoicesPerBatch(policy: unknown): Record<string, number> {
  const result: Record<string, number> = { ...DEFAULT_MAX_CHOICES_PER_BATCH };
  const given = policy && typeof policy === 'object' ? (policy as { maxChoicesPerBatch?: unknown }).maxChoicesPerBatch : undefined;
  if (given && typeof given === 'object') {
    for (const [batch, max] of Object.entries(given as Record<string, unknown>)) {
      if (/^[1-9]\d*$/.test(batch) && Number.isInteger(max) && (max as number) >= 0) result[batch] = max as number;
    }
  }
  return result;
}

/** The maximum for one batch. */
export function maxChoicesFor(limits: Readonly<Record<string, number>>, batch: number): number {
  return limits[String(batch)] ?? FALLBACK_MAX_CHOICES;
}
