import { z } from 'zod';
import { KINDERGARTEN_GRADES, KINDERGARTEN_NATURES } from '../../domain/kindergartens';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonBody, jsonResponse, publicUserSchema, type RouteConfig } from '../shared.schema';

/** The kindergarten registry (issue 18): the public disclosure, a kindergarten's filings and the bureau's review. */

export const natureSchema = z.enum(KINDERGARTEN_NATURES).meta({ description: 'public (公办) | puhui_private (普惠性民办) | private (非普惠性民办)' });
export const gradeSchema = z.enum(KINDERGARTEN_GRADES).meta({ description: 'provincial_model | city_model | class1 | class2 | class3 | ungraded' });
const code = z.string().trim().min(1).max(32);

export const kindergartenListQuerySchema = z.object({
  region: code.optional(),
  nature: natureSchema.optional(),
  grade: gradeSchema.optional(),
  feeMax: z.coerce.number().int().min(0).max(1_000_000).optional().meta({ description: 'Yuan per month (a term counts as 5 months)' }),
  q: z.string().trim().min(1).max(50).optional().meta({ description: 'Part of the name or address' }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type KindergartenListQuery = z.infer<typeof kindergartenListQuerySchema>;

export const kindergartenParamsSchema = z.object({ id: code });

const staffInSchema = z.object({
  role: z.enum(['teacher', 'carer']),
  name: z.string().trim().min(1).max(50),
  qualification: z.string().trim().max(100),
});
const feeSchema = z.object({
  classType: z.string().trim().min(1).max(50),
  period: z.enum(['month', 'term']),
  amountYuan: z.number().int().min(0).max(100_000),
});

export const filingChangesSchema = z
  .strictObject({
    headName: z.string().trim().min(1).max(50).optional(),
    headQualification: z.string().trim().max(100).optional(),
    staff: z.array(staffInSchema).max(500).optional().meta({ description: 'Replaces the whole list of full-time teachers and carers' }),
    fees: z.array(feeSchema).max(20).optional().meta({ description: 'Replaces the fee standard' }),
    classes: z.number().int().min(0).max(200).optional(),
    children: z.number().int().min(0).max(5000).optional(),
    address: z.string().trim().min(1).max(200).optional(),
    feeAccount: z
      .string()
      .trim()
      .regex(/^\d{8,30}$/, { message: '收费账户应为 8 到 30 位数字 / the fee account must be 8 to 30 digits' })
      .optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), { message: '至少填写一项变更 / at least one change is required' });
export type FilingChangesInput = z.infer<typeof filingChangesSchema>;

export const filingBodySchema = z.strictObject({
  changes: filingChangesSchema,
  note: z.string().trim().max(2000).optional(),
});

export const filingListQuerySchema = z.object({
  status: z.enum(['pending', 'approved', 'returned']).optional(),
  region: code.optional(),
  kindergartenId: code.optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type FilingListQueryInput = z.infer<typeof filingListQuerySchema>;

export const filingParamsSchema = z.object({ id: z.string().min(1).max(64) });
export const approveBodySchema = z.strictObject({ note: z.string().trim().max(2000).optional() });
export const returnBodySchema = z.strictObject({ note: z.string().trim().min(1).max(2000) });

const feeOutSchema = feeSchema;
export const kindergartenSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    regionCode: z.string(),
    regionName: z.string(),
    nature: natureSchema,
    grade: gradeSchema,
    gradeName: z.string(),
    address: z.string(),
    classes: z.number().int(),
    children: z.number().int(),
    feeMonthlyMin: z.number().int().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'KindergartenPublicSummary' });

export const kindergartenPublicRecordSchema = kindergartenSummarySchema
  .extend({
    openedOn: z.string().nullable(),
    licenceNumber: z.string(),
    headName: z.string(),
    teacherCount: z.number().int(),
    carerCount: z.number().int(),
    fees: z.array(feeOutSchema),
    evaluations: z.array(z.object({ date: z.string(), kind: z.string(), result: z.string() })),
    inspections: z.array(z.object({ date: z.string(), result: z.string(), deadline: z.string().nullable() })),
  })
  .meta({ id: 'KindergartenPublicRecord' });

export const kindergartenRecordSchema = kindergartenPublicRecordSchema
  .extend({
    version: z.number().int(),
    headQualification: z.string(),
    headQualified: z.boolean(),
    staff: z.array(z.object({ role: z.enum(['head', 'teacher', 'carer']), name: z.string(), qualification: z.string(), qualified: z.boolean() })),
    feeAccount: z.string().nullable().meta({ description: 'Masked' }),
    safety: z.object({
      dangerousBuilding: z.boolean(),
      civilDefence: z.boolean(),
      physicalDefence: z.boolean(),
      technicalDefence: z.boolean(),
      rectifyBy: z.string().nullable(),
    }),
  })
  .meta({ id: 'KindergartenRecord' });

/** A filing's changes as filed (filingChangesSchema's fields), the fee account masked. */
const filedChangesSchema = z
  .object({
    headName: z.string().optional(),
    headQualification: z.string().optional(),
    staff: z.array(z.object({ role: z.enum(['teacher', 'carer']), name: z.string(), qualification: z.string() })).optional(),
    fees: z.array(z.object({ classType: z.string(), period: z.enum(['month', 'term']), amountYuan: z.number().int() })).optional(),
    classes: z.number().int().optional(),
    children: z.number().int().optional(),
    address: z.string().optional(),
    feeAccount: z.string().optional().meta({ description: 'Masked' }),
  })
  .meta({ id: 'FiledChanges', description: 'As filed; feeAccount masked' });

export const filingSchema = z
  .object({
    id: z.string(),
    kindergartenId: z.string(),
    kindergartenName: z.string(),
    regionCode: z.string(),
    status: z.enum(['pending', 'approved', 'returned']),
    changes: filedChangesSchema,
    note: z.string().nullable(),
    reviewNote: z.string().nullable(),
    submittedAt: z.string(),
    submittedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    reviewedBy: z.string().nullable(),
  })
  .meta({ id: 'KindergartenFiling' });

export const kindergartenHomeSchema = z.object({ user: publicUserSchema, kindergarten: kindergartenSummarySchema }).meta({ id: 'KindergartenHome' });

const listOf = <T extends z.ZodType>(item: T, id: string) => z.object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int(), items: z.array(item) }).meta({ id });

export const importOutcomeSchema = z.object({
  status: z.literal('done'),
  kind: z.enum(['kindergartens', 'preschool-population']),
  imported: z.number().int(),
  created: z.number().int().optional(),
  updated: z.number().int().optional(),
});

export type KindergartenPublicSummary = z.infer<typeof kindergartenSummarySchema>;
export type KindergartenPublicRecord = z.infer<typeof kindergartenPublicRecordSchema>;
export type KindergartenOwnRecord = z.infer<typeof kindergartenRecordSchema>;
export type Filing = z.infer<typeof filingSchema>;
export type FilingStatus = Filing['status'];
export const kindergartenMeSchema = z.object({ record: kindergartenRecordSchema, filings: z.array(filingSchema) }).meta({ id: 'KindergartenMe' });
export type KindergartenMe = z.infer<typeof kindergartenMeSchema>;
export const kindergartenListSchema = listOf(kindergartenSummarySchema, 'KindergartenList');
export type KindergartenList = z.infer<typeof kindergartenListSchema>;
export const filingListSchema = listOf(filingSchema, 'KindergartenFilingList');
export type FilingList = z.infer<typeof filingListSchema>;
export const kindergartenRegionsSchema = z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string() })).meta({ id: 'KindergartenRegions' });

export const kindergartenPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/kindergartens',
    tags: ['kindergartens'],
    summary: '公示: published kindergartens, filtered by region, nature, grade, fee and name (no sign-in)',
    request: { query: kindergartenListQuerySchema },
    responses: { 200: jsonResponse('Kindergartens', kindergartenListSchema), ...errorResponses('VALIDATION_FAILED') },
  },
  {
    method: 'get',
    path: '/api/kindergartens/regions',
    tags: ['kindergartens'],
    summary: 'Regions for the filter (no sign-in)',
    responses: { 200: jsonResponse('Regions', kindergartenRegionsSchema) },
  },
  {
    method: 'get',
    path: '/api/kindergartens/{id}',
    tags: ['kindergartens'],
    summary: 'One kindergarten\'s published record with its last update (no sign-in; no personal data beyond the head\'s name)',
    request: { params: kindergartenParamsSchema },
    responses: { 200: jsonResponse('The record', kindergartenPublicRecordSchema), ...errorResponses('NOT_FOUND') },
  },
  {
    method: 'get',
    path: '/api/kindergarten/home',
    tags: ['kindergartens'],
    summary: 'A kindergarten account\'s home',
    security: bearer,
    responses: { 200: jsonResponse('Home', kindergartenHomeSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND') },
  },
  {
    method: 'get',
    path: '/api/kindergarten/me',
    tags: ['kindergartens'],
    summary: 'The kindergarten\'s own full record and its filings',
    security: bearer,
    responses: { 200: jsonResponse('Record and filings', kindergartenMeSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND') },
  },
  {
    method: 'post',
    path: '/api/kindergarten/filings',
    tags: ['kindergartens'],
    summary: '备案: file a change (head, teachers, fees, classes, address, fee account); one pending at a time',
    security: bearer,
    request: { body: jsonBody(filingBodySchema) },
    responses: { 201: jsonResponse('The filing', filingSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND', 'KINDERGARTEN_FILING_PENDING') },
  },
  {
    method: 'get',
    path: '/api/kindergarten-filings',
    tags: ['kindergartens'],
    summary: 'Filings to review (bureau: a county bureau sees its region; auditor reads)',
    security: bearer,
    request: { query: filingListQuerySchema },
    responses: { 200: jsonResponse('Filings', filingListSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED') },
  },
  {
    method: 'post',
    path: '/api/kindergarten-filings/{id}/approve',
    tags: ['kindergartens'],
    summary: 'Approve a filing: the public record takes the changes, a new version is kept (audit-logged)',
    security: bearer,
    request: { params: filingParamsSchema, body: jsonBody(approveBodySchema) },
    responses: { 200: jsonResponse('The filing', filingSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND', 'KINDERGARTEN_FILING_DECIDED') },
  },
  {
    method: 'post',
    path: '/api/kindergarten-filings/{id}/return',
    tags: ['kindergartens'],
    summary: 'Return a filing with a note; the public record stays as it was (audit-logged)',
    security: bearer,
    request: { params: filingParamsSchema, body: jsonBody(returnBodySchema) },
    responses: { 200: jsonResponse('The filing', filingSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND', 'KINDERGARTEN_FILING_DECIDED') },
  },
  {
    method: 'post',
    path: '/api/imports/kindergartens',
    tags: ['kindergartens'],
    summary: 'Import kindergartens from .xlsx/.csv (bureau; a county bureau only its region); all or nothing; creates accounts',
    security: bearer,
    responses: { 200: jsonResponse('Imported', importOutcomeSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'IMPORT_INVALID', 'IMPORT_UNREADABLE', 'IMPORT_ENCODING') },
  },
  {
    method: 'post',
    path: '/api/imports/preschool-population',
    tags: ['kindergartens'],
    summary: 'Import the children aged 3-5 per region and year (bureau; a county bureau only its region)',
    security: bearer,
    responses: { 200: jsonResponse('Imported', importOutcomeSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'IMPORT_INVALID', 'IMPORT_UNREADABLE', 'IMPORT_ENCODING') },
  },
];
