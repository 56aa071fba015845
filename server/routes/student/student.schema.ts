import { z } from 'zod';
import { receiptSchema } from '../receipts/receipts.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonBody, jsonResponse, type RouteConfig } from '../shared.schema';

/** The student portal: /api/student/* (role student only; each student reaches only their own data). */

export const applicationKindQuery = z.object({
  kind: z.enum(['main', 'supplementary']).default('main').meta({ description: 'main (志愿) or supplementary (补录)' }),
});

const schoolIdSchema = z.string().trim().min(1).max(40);

export const saveApplicationBody = z
  .object({
    kind: z.enum(['main', 'supplementary']).default('main'),
    baseVersion: z.number().int().min(0).meta({ description: 'The version the edit started from (0 when nothing was saved yet); a stale one gets 409' }),
    choices: z
      .record(z.string().regex(/^[1-9]\d{0,2}$/, { message: '批次须为正整数 / batch must be a positive integer' }), z.array(schoolIdSchema).max(20))
      .meta({ description: 'Batch number -> school ids in order of preference, e.g. {"1": ["H01", "H03"]}' }),
  })
  .meta({ id: 'SaveApplication' });
export type SaveApplicationBody = z.infer<typeof saveApplicationBody>;

/** What a save answers: the new version and its signed receipt (回执, server/domain/receipts/receipt.ts). */
export const savedApplicationSchema = z
  .object({
    kind: z.enum(['main', 'supplementary']),
    version: z.number().int(),
    choices: z.record(z.string(), z.array(z.string())),
    savedAt: z.string().meta({ description: 'Server time of the save, ISO 8601' }),
    receipt: receiptSchema.meta({ description: 'Signed receipt of this save: keep it; check it at POST /api/receipts/verify or offline with the public key' }),
  })
  .meta({ id: 'SavedApplication' });

const loose = (id: string) => z.object({}).loose().meta({ id });

export const studentPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/student/overview',
    tags: ['student'],
    summary: 'Scores, rank (位次), phase and deadline (server time), quota seats, schools open per batch with eligibility, next step',
    description:
      '`rank: {city, region, total, regionTotal}` (null before scores are imported): 1 + the students strictly before by total and the published tie-break keys, so ties share a rank. Each school carries `previousCutoffRank` (last year\'s cutoff as a city rank, null without a previous year\'s published round) and `guidance` (冲/稳/保: `band` reach | match | safe with the numbers behind it; null without a previous year). GET /api/student/application carries the same.',
    security: bearer,
    responses: { 200: jsonResponse('The caller\'s overview', loose('StudentOverview')), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'NO_ACTIVE_CYCLE') },
  },
  {
    method: 'get',
    path: '/api/student/application',
    tags: ['student'],
    summary: 'The caller\'s choices (志愿) with version, limits per batch and the schools that may be listed',
    security: bearer,
    request: { query: applicationKindQuery },
    responses: { 200: jsonResponse('Application', loose('StudentApplication')), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'NO_ACTIVE_CYCLE') },
  },
  {
    method: 'put',
    path: '/api/student/application',
    tags: ['student'],
    summary: 'Saves a new version of the choices (only while applications are open); ineligible choices are refused with their reason',
    security: bearer,
    request: { body: jsonBody(saveApplicationBody) },
    responses: {
      200: jsonResponse('Saved version', savedApplicationSchema),
      ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'CHOICE_REFUSED', 'APPLICATION_VERSION_CONFLICT', 'PHASE_CLOSED', 'NOT_IN_SUPPLEMENTARY', 'NOT_FOUND'),
    },
  },
  {
    method: 'get',
    path: '/api/student/application/history',
    tags: ['student'],
    summary: 'Every saved version of the caller\'s choices, newest first',
    security: bearer,
    request: { query: applicationKindQuery },
    responses: { 200: jsonResponse('History', loose('ApplicationHistory')), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND') },
  },
  {
    method: 'get',
    path: '/api/student/result',
    tags: ['student'],
    summary: 'The published result: school, seat, batch, and why not for each school listed above it',
    description: 'Answered with an ETag and `Cache-Control: private, no-cache`; with a matching If-None-Match, 304 and no body.',
    security: bearer,
    responses: {
      200: jsonResponse('Result', loose('StudentResult')),
      304: { description: 'Not modified: the result the caller holds (If-None-Match) is still the current one' },
      ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'NO_ACTIVE_CYCLE') },
  },
];
