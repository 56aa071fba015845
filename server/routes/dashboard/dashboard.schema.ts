import { z } from 'zod';
import { AUTHENTICATED_ERRORS, bearer, boundedDateSchema, errorResponses, jsonResponse, jsonValueSchema, type RouteConfig } from '../shared.schema';

export const dashboardQuerySchema = z.object({ cycleId: z.string().min(1).max(64).optional() });

export const dashboardSchema = z
  .object({
    cycle: z.object({ id: z.string(), year: z.number().int(), name: z.string() }),
    roundId: z.string().nullable().meta({ description: 'The latest published round the results come from' }),
    regionCode: z.string().nullable().meta({ description: 'A county bureau\'s region; null for the whole city' }),
    regions: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string() })),
    scoreDistribution: z.object({
      bands: z.array(z.string()),
      series: z.array(z.object({ regionCode: z.string(), regionName: z.string(), counts: z.array(z.number().int()) })),
    }),
    cutoffs: z.array(
      z.object({
        highSchoolId: z.string(),
        name: z.string(),
        regionCode: z.string(),
        admitted: z.number().int(),
        cutoff: z.number().nullable().meta({ description: 'Lowest total of any seat held' }),
        open: z.number().nullable().meta({ description: 'Lowest total of an open (统招) seat' }),
        quota: z.number().nullable().meta({ description: 'Lowest total of a quota (指标生) seat, over its junior schools' }),
        reverted: z.number().nullable().meta({ description: 'Lowest total of a reverted quota (指标回流) seat' }),
      }),
    ),
    quotaUse: z.array(z.object({ juniorSchoolId: z.string(), name: z.string(), regionCode: z.string(), seats: z.number().int(), used: z.number().int() })),
    flows: z.array(z.object({ from: z.string(), to: z.string(), students: z.number().int() })),
    indicators: z.object({
      classesOver55: z.object({ count: z.number().int(), schools: z.array(z.object({ highSchoolId: z.string(), name: z.string(), classSize: z.number() })) }),
      schoolsOver3000: z.object({
        count: z.number().int(),
        schools: z.array(z.object({ highSchoolId: z.string(), name: z.string(), estimatedEnrollment: z.number().int() })),
      }),
      qualityQuotaShare: z.object({
        required: z.number(),
        share: z.number().nullable(),
        below: z.array(z.object({ highSchoolId: z.string(), name: z.string(), share: z.number() })),
      }),
      publicPrivate: z.object({ public: z.number().int(), private: z.number().int() }),
      localCompliance: z.object({ regionScopeAdmissions: z.number().int(), local: z.number().int(), share: z.number().nullable() }),
    }),
  })
  .extend({
    /** The preschool plan's indicators (issue 18): shares 0..1, null where there is no data; goals 0.92, 0.58, 0.95. */
    preschool: z.object({
      city: z.object({ puhuiShare: z.number().nullable(), publicShare: z.number().nullable(), grossEnrolmentRate: z.number().nullable() }),
      regions: z.array(
        z.object({ code: z.string(), name: z.string(), puhuiShare: z.number().nullable(), publicShare: z.number().nullable(), grossEnrolmentRate: z.number().nullable(), children: z.number().int(), population: z.number().int().nullable() }),
      ),
      goals: z.object({ puhuiShare: z.number(), publicShare: z.number(), grossEnrolmentRate: z.number() }),
    }),
  })
  .meta({ id: 'Dashboard' });

export const auditQuerySchema = z.object({
  action: z.string().trim().min(1).max(64).optional().meta({ description: 'Prefix, e.g. `flag.` or `round.publish`' }),
  entity: z.string().trim().min(1).max(64).optional(),
  entityId: z.string().trim().min(1).max(64).optional(),
  actorId: z.string().trim().min(1).max(64).optional(),
  actor: z.string().trim().min(1).max(64).optional().meta({ description: "An account's username, or part of its display name" }),
  from: boundedDateSchema.optional(),
  to: boundedDateSchema.optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditPageSchema = z
  .object({
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    items: z.array(
      z.object({
        id: z.string(),
        seq: z.string().nullable().meta({ description: 'Position in the audit hash chain (1, 2, 3...); null for a save of choices (application.save), recorded in its own append-only table' }),
        at: z.string(),
        actorId: z.string().nullable(),
        actorRole: z.string().nullable(),
        actor: z
          .object({ name: z.string(), role: z.string(), username: z.string(), organization: z.string().nullable() })
          .nullable()
          .meta({ description: 'Who, by name (null: the system)' }),
        subject: z.string().nullable().meta({ description: 'What the entry is about, by name (a student, a school, a cycle...), when known' }),
        action: z.string(),
        entity: z.string(),
        entityId: z.string().nullable(),
        before: jsonValueSchema.meta({ description: 'The state before, keys per action; null when none' }),
        after: jsonValueSchema.meta({ description: 'The state after, keys per action; null when none' }),
        requestId: z.string().nullable(),
        hash: z.string().nullable().meta({ description: 'SHA-256 of the entry, chained to the one before; null for a save of choices' }),
      }),
    ),
  })
  .meta({ id: 'AuditPage' });

export const auditChainSchema = z
  .object({
    ok: z.boolean(),
    count: z.number().int().meta({ description: 'Entries verified (before the break, when broken)' }),
    head: z
      .object({ seq: z.string(), hash: z.string() })
      .nullable()
      .meta({ description: 'The last verified entry: note it down to detect later removal of entries at the end' }),
    broken: z
      .object({
        seq: z.string(),
        reason: z.enum(['gap', 'prevHash', 'hash']),
        expected: z.string(),
        found: z.string(),
      })
      .nullable()
      .meta({ description: 'The first entry where the chain breaks, and why' }),
  })
  .meta({ id: 'AuditChainReport' });

export type Dashboard = z.infer<typeof dashboardSchema>;
export type PreschoolIndicators = Dashboard['preschool'];
export type AuditPage = z.infer<typeof auditPageSchema>;
export type AuditEntry = AuditPage['items'][number];
export type AuditChainReport = z.infer<typeof auditChainSchema>;

export const dashboardPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/dashboard',
    tags: ['oversight'],
    summary: 'Oversight dashboard: score distribution, cutoffs, quota use, flows between regions, policy indicators (bureau, auditor)',
    security: bearer,
    request: { query: dashboardQuerySchema },
    responses: { 200: jsonResponse('The dashboard', dashboardSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NO_ACTIVE_CYCLE', 'NOT_FOUND') },
  },
  {
    method: 'get',
    path: '/api/audit',
    tags: ['oversight'],
    summary: 'The audit log, newest first (auditor)',
    security: bearer,
    request: { query: auditQuerySchema },
    responses: { 200: jsonResponse('Entries', auditPageSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED') },
  },
  {
    method: 'get',
    path: '/api/audit/verify',
    tags: ['oversight'],
    summary: 'Verifies the audit log\'s hash chain end to end, as `npm run audit:verify` does (auditor)',
    security: bearer,
    responses: { 200: jsonResponse('The verification', auditChainSchema), ...errorResponses(...AUTHENTICATED_ERRORS) },
  },
];
