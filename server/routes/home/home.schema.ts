import { z } from 'zod';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonResponse, publicUserSchema, regionSchema, type RouteConfig } from '../shared.schema';

/** The role homes: GET /api/<role>/home, each for one role only. */

const schoolRef = z.object({ id: z.string(), name: z.string() });

export const studentHomeSchema = z
  .object({
    user: publicUserSchema,
    student: z
      .object({
        id: z.string(),
        examNo: z.string().meta({ description: '准考证号' }),
        name: z.string(),
        juniorSchool: schoolRef,
        region: regionSchema,
        cycle: z.object({ year: z.number().int(), name: z.string() }),
      })
      .nullable()
      .meta({ description: 'The caller\'s student record; null when the account is not linked to one' }),
  })
  .meta({ id: 'StudentHome' });

export const juniorHomeSchema = z
  .object({
    user: publicUserSchema,
    juniorSchool: z
      .object({
        id: z.string(),
        name: z.string(),
        graduates: z.number().int(),
        rural: z.boolean(),
        region: regionSchema,
        studentCount: z.number().int(),
      })
      .nullable(),
  })
  .meta({ id: 'JuniorHome' });

export const highHomeSchema = z
  .object({
    user: publicUserSchema,
    highSchool: z
      .object({
        id: z.string(),
        name: z.string(),
        ownership: z.enum(['public', 'private']),
        scope: z.enum(['city', 'region']),
        quality: z.boolean().meta({ description: '示范性高中' }),
        region: regionSchema,
      })
      .nullable(),
  })
  .meta({ id: 'HighHome' });

const countsSchema = z.object({
  students: z.number().int(),
  highSchools: z.number().int(),
  juniorSchools: z.number().int(),
});

export const bureauHomeSchema = z
  .object({
    user: publicUserSchema,
    region: regionSchema.nullable().meta({ description: 'A county bureau\'s region; null for the city bureau' }),
    counts: countsSchema.meta({ description: 'Within the bureau\'s remit' }),
  })
  .meta({ id: 'BureauHome' });

export const auditorHomeSchema = z
  .object({
    user: publicUserSchema,
    counts: countsSchema.extend({ auditEntries: z.number().int() }),
  })
  .meta({ id: 'AuditorHome' });

function homePath(role: string, schema: z.ZodType): RouteConfig {
  return {
    method: 'get',
    path: `/api/${role}/home`,
    tags: ['home'],
    summary: `Home of a ${role} user (role ${role} only; other roles get 403 FORBIDDEN)`,
    security: bearer,
    responses: { 200: jsonResponse('Summary of the caller\'s own data', schema), ...errorResponses(...AUTHENTICATED_ERRORS) },
  };
}

export const homePaths: RouteConfig[] = [
  homePath('student', studentHomeSchema),
  homePath('junior', juniorHomeSchema),
  homePath('high', highHomeSchema),
  homePath('bureau', bureauHomeSchema),
  homePath('auditor', auditorHomeSchema),
];
