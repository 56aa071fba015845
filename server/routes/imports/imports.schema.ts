import { z } from 'zod';
import { IMPORT_KINDS } from '../../domain/imports/columns';
import { jobSchema } from '../jobs/jobs.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonResponse, type RouteConfig } from '../shared.schema';

export const importKindParamsSchema = z.object({ kind: z.enum(IMPORT_KINDS).meta({ description: 'regions | junior-schools | high-schools | students' }) });

export const importOutcomeSchema = z
  .discriminatedUnion('status', [
    z.object({ status: z.literal('done'), kind: z.enum(IMPORT_KINDS), imported: z.number().int() }),
    z.object({
      status: z.literal('queued'),
      kind: z.enum(IMPORT_KINDS),
      rows: z.number().int(),
      job: jobSchema.meta({ description: 'The queued job when the file has more than 2,000 rows: poll GET /api/jobs/imports/{id}' }),
    }),
  ])
  .meta({ id: 'ImportOutcome' });
export type ImportOutcome = z.infer<typeof importOutcomeSchema>;

const xlsx = { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) } };

export const importPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/imports/templates/{kind}',
    tags: ['imports'],
    summary: 'The .xlsx template of an import kind, with Chinese headers (bureau)',
    security: bearer,
    request: { params: importKindParamsSchema },
    responses: { 200: { description: 'The template', content: xlsx }, ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED') },
  },
  {
    method: 'post',
    path: '/api/imports/{kind}',
    tags: ['imports'],
    summary: 'Import an .xlsx or .csv file (the raw bytes as the body), all or nothing, in setup (city bureau)',
    description:
      'The file is read in a worker thread: .xlsx (refused when it would expand past 300 MB), or CSV / tab-separated text in UTF-8, UTF-16 or GBK/GB18030. Every row is validated; on any problem nothing is written and the answer is 400 IMPORT_INVALID (IMPORT_ENCODING when text is unreadable in the encoding the file was read in) with `details.problems` = [{ row, column, message }]; a file without data rows is 400 IMPORT_UNREADABLE. Files above 2,000 rows answer 202 with a job whose result has the same shape.',
    security: bearer,
    request: { params: importKindParamsSchema, body: { required: true, content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } } } },
    responses: {
      200: jsonResponse('Imported', importOutcomeSchema),
      202: jsonResponse('Queued as a job', importOutcomeSchema),
      ...errorResponses(...AUTHENTICATED_ERRORS, 'IMPORT_INVALID', 'IMPORT_UNREADABLE', 'IMPORT_ENCODING', 'IMPORT_CONFLICT', 'PAYLOAD_TOO_LARGE', 'PHASE_CLOSED', 'NO_ACTIVE_CYCLE'),
    },
  },
];
