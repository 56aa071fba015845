import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ERROR_CATALOG, ERROR_CODES, type ErrorCode } from '../errors';
import { ROLES } from '../policies';

/**
 * Schemas shared by every route area, and helpers to describe routes in the
 * OpenAPI document (server/openapi.ts). Each area's `<area>.schema.ts`
 * exports its zod schemas, their `z.infer` types and its `<area>Paths`.
 */

export type { RouteConfig };

export { boundedDateSchema, boundedDaySchema } from '../domain/dates';

export const roleSchema = z.enum(ROLES).meta({ id: 'Role', description: 'student | junior (初中) | high (高中) | bureau (教育局) | auditor (督导) | kindergarten (幼儿园)' });

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
      message: z.string().meta({ description: 'In the caller\'s language: zh-CN by default, English with ?lang=en or Accept-Language: en' }),
      field: z.string().optional().meta({ description: 'The request field the error is about (dot path)' }),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const publicUserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: roleSchema,
    displayName: z.string(),
    mustChangePassword: z.boolean().meta({ description: 'When true, every route except /api/auth/* answers 403 PASSWORD_CHANGE_REQUIRED' }),
    totpEnabled: z.boolean().meta({ description: 'Two-factor sign-in (TOTP) is on' }),
    mustEnrollTotp: z
      .boolean()
      .meta({ description: 'A bureau account that must turn on two-factor sign-in (BUREAU_TOTP_REQUIRED): until then every route except /api/auth/* answers 403 TOTP_ENROLLMENT_REQUIRED' }),
    highSchoolId: z.string().nullable(),
    juniorSchoolId: z.string().nullable(),
    studentId: z.string().nullable(),
    regionCode: z.string().nullable().meta({ description: 'A county bureau\'s region; null for the city bureau' }),
    kindergartenId: z.string().nullable().optional().meta({ description: 'A kindergarten account\'s kindergarten (issue 18)' }),
  })
  .meta({ id: 'User' });
export type PublicUserBody = z.infer<typeof publicUserSchema>;

export const regionSchema = z.object({ code: z.string(), name: z.string(), nameEn: z.string() }).meta({ id: 'Region' });

const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const jsonShallow = z.union([jsonScalar, z.array(jsonScalar), z.record(z.string(), z.union([jsonScalar, z.array(jsonScalar)]))]);
/**
 * A JSON value written by the platform itself where each writer has its own
 * keys (flag evidence per rule, an audit entry's before/after per action):
 * scalars, lists and objects, nested up to three levels, which is as deep as
 * any of those writers goes. The pages read the typed, worded rendering next
 * to it (e.g. a flag's `facts`).
 */
export const jsonValueSchema = z
  .union([jsonScalar, z.array(jsonShallow), z.record(z.string(), z.union([jsonShallow, z.array(jsonShallow)]))])
  .meta({ id: 'JsonValue', description: 'A JSON value (scalars, lists, objects up to three levels deep)' });

/** OpenAPI responses for error codes, grouped by status. */
export function errorResponses(...codes: ErrorCode[]): Record<string, ResponseConfig> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      { description: list.join(', '), content: { 'application/json': { schema: errorBodySchema } } },
    ]),
  );
}

export function jsonResponse(description: string, schema: z.ZodType): ResponseConfig {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody(schema: z.ZodType) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** Security requirement of routes behind `authenticate()`. */
export const bearer = [{ bearerAuth: [] as string[] }];

/** Errors every authenticated route may answer. */
export const AUTHENTICATED_ERRORS: ErrorCode[] = ['UNAUTHENTICATED', 'SESSION_EXPIRED', 'FORBIDDEN', 'PASSWORD_CHANGE_REQUIRED', 'TOTP_ENROLLMENT_REQUIRED'];
