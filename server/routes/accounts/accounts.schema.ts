import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../../domain/auth/auth.rules';
import { ISSUE_ROLES } from '../../policies/account.policy';
import { loginResponseSchema } from '../auth/auth.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonBody, jsonResponse, type RouteConfig } from '../shared.schema';

/** Most usernames one request may list (a whole city's students). */
export const MAX_USERNAMES = 100_000;

const username = z.string().trim().min(1).max(64);

/** Whose accounts get a new code: exactly one of the three forms. */
export const issueCodesBodySchema = z
  .union([
    z.strictObject({ usernames: z.array(username).min(1).max(MAX_USERNAMES).meta({ description: 'Usernames (准考证号 for students, the school id in lower case, bureau-<code>)' }) }),
    z.strictObject({ juniorSchoolId: z.string().trim().min(1).max(64).meta({ description: 'Every student of this junior school (初中) in its current cycle' }) }),
    z.strictObject({ role: z.enum(ISSUE_ROLES).meta({ description: 'Every high-school, junior-school or county-bureau account (a county bureau: those of its region)' }) }),
  ])
  .meta({ id: 'IssueActivationCodesRequest' });
export type IssueCodesBody = z.infer<typeof issueCodesBodySchema>;

export const issueCodesQuerySchema = z
  .object({ format: z.enum(['json', 'xlsx']).default('json').meta({ description: 'xlsx: printable account slips (账号条) instead of JSON' }) })
  .meta({ id: 'IssueActivationCodesQuery' });

export const issuedCodesSchema = z
  .object({
    codes: z.array(
      z.object({
        username: z.string(),
        displayName: z.string(),
        code: z.string().meta({ description: 'XXXXX-XXXXX; shown only here (the server keeps its SHA-256)', example: '7K2QF-M9XDA' }),
        expiresAt: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: 'IssuedActivationCodes' });
export type IssuedCodesBody = z.infer<typeof issuedCodesSchema>;

export const activateBodySchema = z
  .object({
    username: username,
    code: z.string().min(1).max(40).meta({ description: 'The activation code; case, dashes and spaces do not matter', example: '7K2QF-M9XDA' }),
    newPassword: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH)
      .meta({ description: 'At least 8 characters with letters and digits, not containing the username' }),
  })
  .meta({ id: 'ActivateRequest' });
export type ActivateBody = z.infer<typeof activateBodySchema>;

const xlsx = { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) } };

export const accountPaths: RouteConfig[] = [
  {
    method: 'post',
    path: '/api/accounts/activation-codes',
    tags: ['accounts'],
    summary: 'Issue one-time activation codes (激活码): listed usernames, every student of a junior school, or every account of a role group',
    description:
      'The city bureau may issue for anyone; a county bureau for the junior and high schools of its region and the students of its junior schools; a junior school for its own students. All or nothing: one unknown or out-of-scope username refuses the request naming it (403 ACCOUNT_OUT_OF_SCOPE; the city bureau gets 400 UNKNOWN_ACCOUNT for a free name) and nothing is issued. Each code voids the person\'s earlier unused code and expires after 30 days. `?format=xlsx` answers printable account slips instead of JSON.',
    security: bearer,
    request: { query: issueCodesQuerySchema, body: jsonBody(issueCodesBodySchema) },
    responses: {
      200: { description: 'The codes, shown only now (JSON, or slips as .xlsx)', content: { 'application/json': { schema: issuedCodesSchema }, ...xlsx } },
      ...errorResponses('VALIDATION_FAILED', 'MALFORMED_JSON', 'UNKNOWN_ACCOUNT', 'UNKNOWN_JUNIOR_SCHOOL', 'ACCOUNT_OUT_OF_SCOPE', ...AUTHENTICATED_ERRORS),
    },
  },
  {
    method: 'post',
    path: '/api/auth/activate',
    tags: ['auth'],
    summary: 'First sign-in, or a reset, with an activation code: sets the password and answers like POST /api/auth/login',
    description:
      'The code works once. A wrong, expired, replaced or used code (or an unknown username) is one identical 400 INVALID_ACTIVATION_CODE, throttled per (username, client address) exactly like a wrong password at sign-in (429 SIGN_IN_THROTTLED with Retry-After, never a lock). Every earlier session of the account ends. Rate-limited per client IP with sign-in (429).',
    request: { body: jsonBody(activateBodySchema) },
    responses: {
      200: jsonResponse('Signed in, or the password step of a two-factor sign-in passed', loginResponseSchema),
      ...errorResponses('VALIDATION_FAILED', 'MALFORMED_JSON', 'PASSWORD_TOO_WEAK', 'INVALID_ACTIVATION_CODE', 'SIGN_IN_THROTTLED', 'RATE_LIMITED'),
    },
  },
];
