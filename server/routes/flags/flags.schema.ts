import { z } from 'zod';
import { FLAG_RULES, FLAG_SEVERITIES, type FlagRule, type FlagSeverity } from '../../domain/flags/types';
import { jobSchema } from '../jobs/jobs.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonBody, jsonResponse, jsonValueSchema, type RouteConfig } from '../shared.schema';

export const flagRuleSchema = z.enum(FLAG_RULES as readonly FlagRule[] as [FlagRule, ...FlagRule[]]).meta({
  description: 'enrolled_without_admission (未录取注册) | out_of_scope_enrollment | top_student_outflow (跨区域掐尖) | quota_eligibility_shopping | early_offer | no_show_elsewhere | kindergarten_name | kindergarten_staffing | kindergarten_safety | kindergarten_fee_account (幼儿园, evidence names the kindergarten)',
});
export const flagSeveritySchema = z.enum(FLAG_SEVERITIES as readonly FlagSeverity[] as [FlagSeverity, ...FlagSeverity[]]);
export const flagStatusSchema = z.enum(['open', 'confirmed', 'dismissed']);

export const flagListQuerySchema = z.object({
  cycleId: z.string().min(1).max(64).optional().meta({ description: 'Default: the current cycle' }),
  rule: flagRuleSchema.optional(),
  severity: flagSeveritySchema.optional(),
  status: flagStatusSchema.optional(),
  region: z.string().min(1).max(32).optional().meta({ description: 'Flags involving this region (school or student)' }),
  school: z.string().min(1).max(32).optional().meta({ description: 'Flags naming this high school' }),
  complaint: z.string().trim().min(1).max(32).optional().meta({ description: 'The flag of the complaint with this number (举报编号, e.g. TS-7K4Q-9X)' }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type FlagListQueryInput = z.infer<typeof flagListQuerySchema>;

export const flagParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const flagReviewSchema = z.object({
  status: z.enum(['confirmed', 'dismissed']),
  note: z.string().trim().min(1).max(2000),
});
export type FlagReviewBody = z.infer<typeof flagReviewSchema>;

export const flagSchema = z
  .object({
    id: z.string(),
    cycleId: z.string(),
    rule: flagRuleSchema,
    severity: flagSeveritySchema,
    status: flagStatusSchema,
    highSchoolIds: z.array(z.string()),
    studentIds: z.array(z.string()),
    evidence: z
      .object({ regionCodes: z.array(z.string()).optional().meta({ description: 'Every region involved' }) })
      .catchall(jsonValueSchema)
      .meta({ description: 'What made the rule fire, keys per rule (server/domain/flags/rules.ts); `facts` is the same in words' }),
    note: z.string().nullable(),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Flag' });

const textSchema = z.object({ zh: z.string(), en: z.string() });
/** Evidence in people's words (server/domain/flags/evidence.ts): label and value in both languages, lists one line per item. */
export const evidenceFactSchema = z
  .object({ key: z.string().meta({ description: 'The evidence key it comes from' }), label: textSchema, value: textSchema })
  .meta({ id: 'EvidenceFact' });

export const flagListSchema = z
  .object({
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    counts: z.object({ open: z.number().int(), confirmed: z.number().int(), dismissed: z.number().int() }),
    items: z.array(
      flagSchema.extend({
        schools: z.array(z.object({ id: z.string(), name: z.string() })).meta({ description: 'The schools it names, by name in its year' }),
        facts: z.array(evidenceFactSchema),
      }),
    ),
  })
  .meta({ id: 'FlagList' });

export const flagDetailSchema = flagSchema
  .extend({
    facts: z.array(evidenceFactSchema),
    schools: z.array(z.object({ id: z.string(), name: z.string(), regionCode: z.string(), ownership: z.string(), scope: z.string() })),
    students: z.array(
      z.object({ id: z.string(), examNo: z.string(), name: z.string(), regionCode: z.string(), total: z.number(), juniorSchoolId: z.string() }),
    ),
    complaints: z.array(
      z.object({ id: z.string(), number: z.string().nullable(), schoolName: z.string(), studentName: z.string().nullable(), contact: z.string(), description: z.string(), createdAt: z.string() }),
    ),
  })
  .meta({ id: 'FlagDetail' });

export type { FlagRule, FlagSeverity };
export type FlagStatus = z.infer<typeof flagStatusSchema>;
export type Flag = z.infer<typeof flagSchema>;
export type EvidenceFact = z.infer<typeof evidenceFactSchema>;
export type BilingualText = EvidenceFact['label'];
export type FlagList = z.infer<typeof flagListSchema>;
export type FlagListItem = FlagList['items'][number];
export type FlagDetail = z.infer<typeof flagDetailSchema>;

export const flagPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/flags',
    tags: ['oversight'],
    summary: 'Irregularity flags, most severe first (bureau and auditor; a county bureau sees flags involving its region)',
    security: bearer,
    request: { query: flagListQuerySchema },
    responses: { 200: jsonResponse('Flags', flagListSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED') },
  },
  {
    method: 'get',
    path: '/api/flags/{id}',
    tags: ['oversight'],
    summary: 'One flag with its evidence, schools, students and complaints',
    security: bearer,
    request: { params: flagParamsSchema },
    responses: { 200: jsonResponse('The flag', flagDetailSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND') },
  },
  {
    method: 'post',
    path: '/api/flags/{id}/review',
    tags: ['oversight'],
    summary: 'Confirm or dismiss a flag with a note (bureau only; audit-logged)',
    security: bearer,
    request: { params: flagParamsSchema, body: jsonBody(flagReviewSchema) },
    responses: { 200: jsonResponse('The reviewed flag', flagSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND') },
  },
  {
    method: 'post',
    path: '/api/flags/detect',
    tags: ['oversight'],
    summary: 'Queue the flags.detect job over the current cycle (bureau only); poll GET /api/jobs/flags/{id}',
    security: bearer,
    responses: { 202: jsonResponse('Queued job', jobSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NO_ACTIVE_CYCLE') },
  },
];
