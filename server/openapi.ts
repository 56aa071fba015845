import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { authPaths } from './routes/auth/auth.schema';
import { accountPaths } from './routes/accounts/accounts.schema';
import { homePaths } from './routes/home/home.schema';
import { highPaths } from './routes/high/high.schema';
import { juniorPaths } from './routes/junior/junior.schema';
import { jobPaths } from './routes/jobs/jobs.schema';
import { roundPaths } from './routes/rounds/rounds.schema';
import { cyclePaths } from './routes/cycles/cycles.schema';
import { importPaths } from './routes/imports/imports.schema';
import { planPaths } from './routes/plans/plans.schema';
import { quotaPaths } from './routes/quotas/quotas.schema';
import type { RouteConfig } from './routes/shared.schema';
import { systemPaths } from './routes/system/system.schema';
import { complaintPaths } from './routes/complaints/complaints.schema';
import { receiptPaths } from './routes/receipts/receipts.schema';
import { scoreTablePaths } from './routes/score-table/score-table.schema';
import { dashboardPaths } from './routes/dashboard/dashboard.schema';
import { flagPaths } from './routes/flags/flags.schema';
import { kindergartenPaths } from './routes/kindergartens/kindergartens.schema';
import { studentPaths } from './routes/student/student.schema';

/**
 * The OpenAPI 3.1 document of the API, generated from the same zod schemas
 * the routes validate with. A route area adds itself by exporting
 * `<area>Paths` from its schema file and listing it here.
 */
export const ALL_PATHS: RouteConfig[] = [...systemPaths, ...authPaths, ...accountPaths, ...homePaths, ...jobPaths, ...highPaths, ...juniorPaths, ...studentPaths, ...roundPaths, ...cyclePaths, ...importPaths, ...planPaths, ...quotaPaths, ...flagPaths, ...complaintPaths, ...receiptPaths, ...dashboardPaths, ...scoreTablePaths, ...kindergartenPaths];

export function buildOpenApiDocument(paths: RouteConfig[] = ALL_PATHS) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The token from POST /api/auth/login',
  });
  for (const path of paths) registry.registerPath(path);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: '株洲市高中阶段学校招生平台 API',
      version: '0.1.0',
      description:
        'City-wide senior-high-school admissions. Errors: `{ "error": { "code", "message", "field"?, "details"? } }`, messages in zh-CN unless `?lang=en` or `Accept-Language: en`.',
    },
    servers: [{ url: '/' }],
  });
}

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;

/** The document, built once per process. */
export function openApiDocument() {
  cached ??= buildOpenApiDocument();
  return cached;
}
