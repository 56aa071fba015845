/**
 * The cycle policy (招生政策): every key a cycle's `policy` JSON may hold, with
 * its default, in one place. The API validates what the bureau sends with
 * `cyclePolicyInputSchema`; wherever a cycle is loaded, `parseCyclePolicy`
 * turns the stored JSON into a typed `CyclePolicy` with every default filled
 * in, and that object is what the rest of the code reads.
 */
import { z } from 'zod';
import { boundedDaySchema } from './dates';
import { SUBJECTS } from './subjects';
import { DEFAULT_QUOTA_PERCENT } from './plans/plan-rules';

const SUBJECT_KEYS = new Set<string>(SUBJECTS.map((s) => s.key));

/** A tie-break key (ALLOCATION.md §2.1): the evaluation, a subject, or a sum of distinct subjects. */
export function isTieBreakKey(key: string): boolean {
  if (key === 'evaluation') return true;
  const parts = key.split('+');
  return parts.every((p) => SUBJECT_KEYS.has(p)) && new Set(parts).size === parts.length;
}

export const tieBreakKeySchema = z.string().refine(isTieBreakKey, {
  message: `须为 evaluation、科目名（${SUBJECTS.map((x) => x.key).join('、')}）或用 + 连接的不同科目，如 chinese+math+english / must be evaluation, a subject or distinct subjects joined by +`,
});

/** The allocation settings (ALLOCATION.md §2); a round may override each. */
export const allocationPolicySchema = z
  .object({
    quotaPrecedence: z.enum(['openFirst', 'quotaFirst']),
    unusedQuota: z.enum(['revert', 'keep']),
    tieBreak: z.array(tieBreakKeySchema).max(10),
  })
  .partial()
  .strict();

/** Default choices per batch when the policy names none. */
export const DEFAULT_MAX_CHOICES_PER_BATCH: Readonly<Record<string, number>> = { '1': 4, '2': 4, '3': 2 };

const batchKey = z.string().regex(/^[1-9]$/, { message: '批次须为 1 到 9 / batch must be 1 to 9' });

/** Each key with its schema and default (a function of the cycle's year where it depends on it). */
const FIELDS = {
  /** Minimum 指标生 share (percent) of a quality school's plan (PLATFORM.md: default 50%). */
  quotaPercent: { schema: z.number().int().min(0).max(100), default: (_year: number) => DEFAULT_QUOTA_PERCENT },
  /**
   * 学籍 cut-off of quota eligibility: enrolled at the junior school on or before
   * this day. Default: the start of the cohort's first year of junior high,
   * 1 September three years before the exam (PLATFORM.md: "学籍 from the first
   * year of junior high").
   */
  quotaEligibilityCutoff: { schema: boundedDaySchema, default: (year: number) => `${year - 3}-09-01` },
  /** Silence after the confirmation window counts as declining the seat. */
  silenceCountsAsDecline: { schema: z.boolean(), default: (_year: number) => false },
  /** A student who declined (or was silent where silence declines) a round-1 seat may take part in 补录. */
  declinedMayJoinSupplementary: { schema: z.boolean(), default: (_year: number) => false },
  /** Choices a student may list per batch. */
  maxChoicesPerBatch: {
    schema: z.record(batchKey, z.number().int().min(0).max(20)),
    default: (_year: number): Record<string, number> => ({ ...DEFAULT_MAX_CHOICES_PER_BATCH }),
  },
  /** Share of a region's students counted as its top students (跨区域掐尖 flag). */
  topStudentShare: { schema: z.number().gt(0).max(1), default: (_year: number) => 0.05 },
  /** Allocation settings every round of the cycle starts from. */
  allocation: { schema: allocationPolicySchema, default: (_year: number): z.infer<typeof allocationPolicySchema> => ({}) },
} as const;

type Fields = typeof FIELDS;
export type CyclePolicy = { [K in keyof Fields]: z.infer<Fields[K]['schema']> };
export type CyclePolicyInput = Partial<CyclePolicy>;

/** What the bureau may send: any subset of the keys, each validated; unknown keys refused. */
export const cyclePolicyInputSchema = z
  .object(Object.fromEntries(Object.entries(FIELDS).map(([key, f]) => [key, f.schema.optional()])) as { [K in keyof Fields]: z.ZodOptional<Fields[K]['schema']> })
  .strict()
  .meta({ id: 'CyclePolicy', description: 'Every key optional; see server/domain/cycle-policy.ts for the defaults' });

/** Older names of keys, read when the new name is absent. */
const ALIASES: Readonly<Record<string, keyof Fields>> = { silenceMeansDecline: 'silenceCountsAsDecline' };

/**
 * The typed policy of a cycle from its stored JSON: each key as stored when
 * valid, else its default (a stored value is never trusted to be well formed,
 * and a bad one must not make a read fail). Batches the policy does not name
 * keep their default limit.
 */
export function parseCyclePolicy(stored: unknown, year: number): CyclePolicy {
  const raw: Record<string, unknown> = stored && typeof stored === 'object' && !Array.isArray(stored) ? { ...(stored as Record<string, unknown>) } : {};
  for (const [alias, key] of Object.entries(ALIASES)) if (raw[key] === undefined && raw[alias] !== undefined) raw[key] = raw[alias];
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(FIELDS) as [keyof Fields, Fields[keyof Fields]][]) {
    const parsed = (field.schema as z.ZodType).safeParse(raw[key]);
    out[key] = parsed.success ? parsed.data : field.default(year);
  }
  out.maxChoicesPerBatch = maxChoicesPerBatch(raw);
  return out as CyclePolicy;
}

/** The policy a new cycle stores: what the bureau sent, completed with the defaults, so the stored JSON says every rule. */
export function completeCyclePolicy(input: CyclePolicyInput | undefined, year: number): CyclePolicy {
  return parseCyclePolicy(input ?? {}, year);
}

/** Fallback limit for a batch no policy names. */
export const FALLBACK_MAX_CHOICES = 2;

/** The choices allowed per batch by a stored policy (the one key the save rule needs, without the rest). */
export function maxChoicesPerBatch(stored: unknown): Record<string, number> {
  const given = stored && typeof stored === 'object' ? (stored as Record<string, unknown>).maxChoicesPerBatch : undefined;
  const limits: Record<string, number> = { ...DEFAULT_MAX_CHOICES_PER_BATCH };
  if (given && typeof given === 'object' && !Array.isArray(given)) {
    // Entry by entry: a malformed one keeps that batch's default, the others still count.
    for (const [batch, max] of Object.entries(given)) {
      const one = FIELDS.maxChoicesPerBatch.schema.safeParse({ [batch]: max });
      if (one.success) limits[batch] = one.data[batch];
    }
  }
  return limits;
}

/** The number of choices allowed in one batch. */
export function maxChoicesFor(limits: Readonly<Record<string, number>>, batch: number): number {
  return limits[String(batch)] ?? FALLBACK_MAX_CHOICES;
}
