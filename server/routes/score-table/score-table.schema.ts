import { z } from 'zod';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';
import { errorResponses, jsonResponse, regionSchema, type RouteConfig } from '../shared.schema';

/** The public 一分一段表 (score table): no sign-in. */

export const scoreTableQuerySchema = z.object({
  region: z
    .preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(1).max(32).optional())
    .meta({ description: 'A region code (e.g. HT); city-wide without it. A region the cycle does not have is 404 UNKNOWN_REGION' }),
  cycleId: cycleIdQuerySchema.shape.cycleId,
});
export type ScoreTableQuery = z.infer<typeof scoreTableQuerySchema>;

export const scoreTableRowSchema = z
  .object({
    score: z.number().meta({ description: 'A total score (总分)' }),
    count: z.number().int().meta({ description: 'Students with exactly this total' }),
    cumulative: z.number().int().meta({ description: 'Students with this total or more (累计人数)' }),
  })
  .meta({ id: 'ScoreTableRow' });

export const scoreTableSchema = z
  .object({
    cycle: z.object({ id: z.string(), year: z.number().int(), name: z.string() }).meta({ description: 'The year shown (?cycleId=, default the current cycle)' }),
    region: regionSchema.nullable().meta({ description: 'The region shown; null for the city' }),
    regions: z.array(regionSchema).meta({ description: 'The regions of the year, for a region picker' }),
    total: z.number().int().meta({ description: 'Students the table counts (scored students of the city or region)' }),
    rows: z.array(scoreTableRowSchema).meta({ description: 'One row per distinct total, highest first' }),
  })
  .meta({ id: 'ScoreTable' });

export type ScoreTable = z.infer<typeof scoreTableSchema>;
export type ScoreTableRow = z.infer<typeof scoreTableRowSchema>;

export const scoreTablePaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/score-table',
    tags: ['ranking'],
    summary: '一分一段表 (public): for each total score, highest first, the number of students with it and at or above it; city-wide or one region',
    request: { query: scoreTableQuerySchema },
    responses: {
      200: jsonResponse('The score table', scoreTableSchema),
      ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_REGION', 'NOT_FOUND', 'NO_ACTIVE_CYCLE'),
    },
  },
];
