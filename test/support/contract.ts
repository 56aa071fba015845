import type { z } from 'zod';
import type { RouteConfig } from '../../server/routes/shared.schema';
import { ALL_PATHS } from '../../server/openapi';

/**
 * Checks a real response against the API contract: the zod schema that
 * server/openapi.ts puts in the OpenAPI document for that method, path and
 * status. Used by `apiClient(url, { checkResponses: true })` (./http.ts), so
 * a test that calls a route also proves its documented schema right:
 * a missing or mistyped field, or a field the schema does not document,
 * fails the test.
 *
 *     const problems = contractProblems('GET', '/api/rounds/abc', 200, body);   // [] when it holds
 */

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  /** Literal segments: `/api/rounds/compare` wins over `/api/rounds/{id}`. */
  literals: number;
  route: RouteConfig;
}

let compiled: CompiledRoute[] | undefined;

function routes(): CompiledRoute[] {
  compiled ??= ALL_PATHS.map((route) => {
    const segments = route.path.split('/');
    const pattern = new RegExp(`^${segments.map((s) => (/^\{\w+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}$`);
    return { method: route.method.toUpperCase(), pattern, literals: segments.filter((s) => !s.startsWith('{')).length, route };
  });
  return compiled;
}

/** The documented route of a request (path without the query), the most literal match first. */
export function documentedRoute(method: string, path: string): RouteConfig | undefined {
  const bare = path.split('?')[0];
  return routes()
    .filter((r) => r.method === method.toUpperCase() && r.pattern.test(bare))
    .sort((a, b) => b.literals - a.literals)[0]?.route;
}

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Keys of `value` that `schema` does not document (zod's parse strips them
 * silently). Follows the branch of a union that accepts the value.
 */
export function undocumentedKeys(schema: z.ZodType, value: unknown, path = '$', out: string[] = []): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
      const shape = def.shape as Record<string, z.ZodType>;
      const catchall = def.catchall as z.ZodType | undefined;
      for (const [key, v] of Object.entries(value)) {
        if (shape[key]) undocumentedKeys(shape[key], v, `${path}.${key}`, out);
        else if (catchall && defOf(catchall).type !== 'never') undocumentedKeys(catchall, v, `${path}.${key}`, out);
        else out.push(`${path}.${key}`);
      }
      return out;
    }
    case 'array':
      if (Array.isArray(value)) value.forEach((item, i) => undocumentedKeys(def.element as z.ZodType, item, `${path}[${i}]`, out));
      return out;
    case 'record':
      if (value && typeof value === 'object') for (const [key, v] of Object.entries(value)) undocumentedKeys(def.valueType as z.ZodType, v, `${path}.${key}`, out);
      return out;
    case 'union': {
      const branch = (def.options as z.ZodType[]).find((option) => option.safeParse(value).success);
      return branch ? undocumentedKeys(branch, value, path, out) : out;
    }
    case 'intersection':
      undocumentedKeys(def.left as z.ZodType, value, path, out);
      return undocumentedKeys(def.right as z.ZodType, value, path, out);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return value === undefined || value === null ? out : undocumentedKeys(def.innerType as z.ZodType, value, path, out);
    case 'pipe':
      return undocumentedKeys(def.in as z.ZodType, value, path, out);
    case 'lazy':
      return undocumentedKeys((def.getter as () => z.ZodType)(), value, path, out);
    default:
      return out;
  }
}

/**
 * What is wrong with a 2xx JSON response against the contract: no documented
 * route or status, a parse failure of the documented schema, or undocumented
 * keys. Empty when it holds; other statuses are not checked here.
 */
export function contractProblems(method: string, path: string, status: number, body: unknown): string[] {
  if (status < 200 || status >= 300) return [];
  const route = documentedRoute(method, path);
  if (!route) return [`${method} ${path}: no documented route`];
  const response = route.responses[String(status)] as { content?: Record<string, { schema?: unknown }> } | undefined;
  if (!response) return [`${method} ${route.path}: status ${status} is not documented`];
  const documented = response.content?.['application/json']?.schema;
  if (!documented) return [`${method} ${route.path} ${status}: answered JSON, documented without a JSON schema`];
  // A plain JSON Schema reference (GET /api/openapi.json: the OAS 3.1 schema) is checked where it is defined, not here.
  if (!(typeof documented === 'object' && '_zod' in documented)) return [];
  const schema = documented as z.ZodType;
  const parsed = schema.safeParse(body);
  const problems = parsed.success ? [] : parsed.error.issues.slice(0, 10).map((i) => `$.${i.path.join('.')}: ${i.message}`);
  problems.push(...undocumentedKeys(schema, body).slice(0, 10).map((key) => `${key}: not in the documented schema`));
  return problems.map((p) => `${method} ${route.path} ${status}: ${p}`);
}
