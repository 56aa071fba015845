import { z } from 'zod';
import { errorResponses, jsonBody, jsonResponse, type RouteConfig } from '../shared.schema';

/** The public complaint form (举报): no login; ID numbers typed into it are stored masked. */
export const complaintBodySchema = z
  .object({
    highSchoolId: z.string().trim().min(1).max(32).nullish().meta({ description: 'The school, when picked from the list' }),
    schoolName: z.string().trim().min(2).max(100).meta({ description: 'The school as the family names it' }),
    studentName: z.string().trim().max(50).nullish(),
    contact: z.string().trim().min(5).max(100).meta({ description: 'Phone or e-mail for the bureau to call back' }),
    description: z.string().trim().min(10).max(2000).meta({ description: 'What was promised, when and by whom' }),
  })
  .meta({ id: 'ComplaintInput' });
export type ComplaintBody = z.infer<typeof complaintBodySchema>;

export const complaintReceiptSchema = z
  .object({
    id: z.string(),
    number: z.string().meta({ description: '举报编号 to keep, e.g. TS-7K4Q-9X: short, unique; the bureau finds the report by it' }),
    flagId: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ComplaintReceipt' });

export const complaintSchoolsSchema = z.array(z.object({ id: z.string(), name: z.string(), regionCode: z.string() })).meta({ id: 'ComplaintSchools' });

export type ComplaintReceipt = z.infer<typeof complaintReceiptSchema>;
export type ComplaintSchools = z.infer<typeof complaintSchoolsSchema>;

export const complaintPaths: RouteConfig[] = [
  {
    method: 'post',
    path: '/api/complaints',
    tags: ['oversight'],
    summary: 'Report a school that promised a place before the schedule (public, rate-limited); it becomes an early-offer flag',
    request: { body: jsonBody(complaintBodySchema) },
    responses: {
      201: jsonResponse('Received', complaintReceiptSchema),
      ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_HIGH_SCHOOL', 'RATE_LIMITED'),
    },
  },
  {
    method: 'get',
    path: '/api/complaints/schools',
    tags: ['oversight'],
    summary: 'High schools a family may pick on the complaint form (public)',
    responses: { 200: jsonResponse('Schools', complaintSchoolsSchema) },
  },
];
