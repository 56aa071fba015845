import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { contractProblems, documentedRoute } from '../test/support/contract';
import { buildOpenApiDocument } from './openapi';

type JsonSchema = Record<string, unknown>;

/**
 * 2xx JSON responses (and the schemas they reach) that say nothing: `{}`, no
 * `type`/`$ref`/`oneOf`/`anyOf`/`allOf`/`const`/`enum`, or an object with no
 * properties whose values may be anything. Walks nested properties, items,
 * record values and union branches, and each referenced component once.
 */
export function untypedResponses(document: { paths?: unknown; components?: { schemas?: unknown } }): string[] {
  const components = (document.components?.schemas ?? {}) as Record<string, JsonSchema>;
  const seen = new Set<string>();
  const out: string[] = [];
  const says = (s: JsonSchema) => ['type', '$ref', 'oneOf', 'anyOf', 'allOf', 'const', 'enum'].some((k) => k in s);
  /** `refined`: a branch of an allOf beside a $ref (how a nullable reference is written), which only narrows the type. */
  const walk = (s: JsonSchema | undefined, at: string, refined = false): void => {
    if (!s || typeof s !== 'object') return void out.push(`${at}: no schema`);
    if (typeof s.$ref === 'string') {
      // An external reference (the OpenAPI document's own schema) is as typed as it gets.
      if (!s.$ref.startsWith('#/components/schemas/')) return;
      const name = s.$ref.replace('#/components/schemas/', '');
      if (!seen.has(name)) {
        seen.add(name);
        walk(components[name], `${at} (${name})`);
      }
      return;
    }
    if (!says(s)) return void out.push(`${at}: untyped ${JSON.stringify(s)}`);
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
    const values = s.additionalProperties;
    if (!refined && types.includes('object') && Object.keys(properties).length === 0 && (values === undefined || values === true || (typeof values === 'object' && !says(values as JsonSchema)))) {
      out.push(`${at}: an object of anything`);
    }
    for (const [key, value] of Object.entries(properties)) walk(value, `${at}.${key}`);
    if (s.items) walk(s.items as JsonSchema, `${at}[]`);
    if (values && typeof values === 'object') walk(values as JsonSchema, `${at}{*}`);
    for (const k of ['oneOf', 'anyOf', 'allOf']) {
      const branches = (s[k] ?? []) as JsonSchema[];
      const besideRef = k === 'allOf' && branches.some((b) => typeof b.$ref === 'string');
      branches.forEach((branch, i) => walk(branch, `${at}<${k}[${i}]>`, besideRef));
    }
  };
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }> }>>)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!status.startsWith('2') || !response.content?.['application/json']) continue;
        walk(response.content['application/json'].schema, `${method.toUpperCase()} ${path} ${status}`);
      }
    }
  }
  return out;
}

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument();

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists the foundation routes', () => {
    expect(Object.keys(document.paths ?? {})).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/auth/login',
        '/api/auth/me',
        '/api/auth/logout',
        '/api/auth/password',
        '/api/auth/refresh',
        '/api/auth/totp/verify',
        '/api/auth/totp/setup',
        '/api/auth/totp/enable',
        '/api/auth/totp/disable',
        '/api/student/home',
        '/api/junior/home',
        '/api/high/home',
        '/api/bureau/home',
        '/api/auditor/home',
        '/api/jobs/{queue}/{id}',
      ]),
    );
  });

  it('types every 2xx JSON response, all the way down (no {}, no object of anything)', () => {
    expect(untypedResponses(document)).toEqual([]);
  });

  it('the untyped-response check finds {}, an untyped property and a free-form object', () => {
    const doc = {
      paths: {
        '/a': { get: { responses: { 200: { content: { 'application/json': { schema: {} } } } } } },
        '/b': { get: { responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/B' } } } } } } },
        '/c': { get: { responses: { 201: { content: { 'application/json': { schema: { type: 'object', additionalProperties: {} } } } } } } },
        '/d': { get: { responses: { 400: { content: { 'application/json': { schema: {} } } } } } },
        '/e': { get: { responses: { 200: { content: { 'application/json': { schema: { type: 'object', additionalProperties: { type: 'number' } } } } } } } },
      },
      components: { schemas: { B: { type: 'object', properties: { x: { type: 'string' }, y: { description: 'anything' } } } } },
    };
    expect(untypedResponses(doc)).toEqual([
      'GET /a 200: untyped {}',
      'GET /b 200 (B).y: untyped {"description":"anything"}',
      'GET /c 201: an object of anything',
      'GET /c 201{*}: untyped {}',
    ]);
  });

  it('checks a real response against its documented schema (the integration tests\' checkResponses)', () => {
    expect(documentedRoute('GET', '/api/rounds/compare?a=1&b=2')?.path).toBe('/api/rounds/compare');
    expect(documentedRoute('GET', '/api/rounds/r1')?.path).toBe('/api/rounds/{id}');
    const cutoffs = { roundId: 'r1', schools: [{ school: 'H01', capacity: 10, admitted: 9, cutoff: 612.5 }] };
    expect(contractProblems('GET', '/api/rounds/r1/cutoffs', 200, cutoffs)).toEqual([]);
    // A field of the wrong type, a missing one and one the schema does not document.
    expect(contractProblems('GET', '/api/rounds/r1/cutoffs', 200, { roundId: 'r1', schools: [{ school: 'H01', capacity: '10', admitted: 9, cutoff: null, extra: 1 }] })).toEqual([
      expect.stringContaining('$.schools.0.capacity'),
      '$.schools[0].extra: not in the documented schema'.replace(/^/, 'GET /api/rounds/{id}/cutoffs 200: '),
    ]);
    expect(contractProblems('GET', '/api/rounds/r1/cutoffs', 200, { schools: [] })).toEqual([expect.stringContaining('$.roundId')]);
    expect(contractProblems('GET', '/api/rounds/r1/cutoffs', 201, cutoffs)).toEqual(['GET /api/rounds/{id}/cutoffs: status 201 is not documented']);
    expect(contractProblems('GET', '/api/nowhere', 200, {})).toEqual(['GET /api/nowhere: no documented route']);
    expect(contractProblems('GET', '/api/rounds/r1/cutoffs', 404, { anything: true })).toEqual([]);
  });

  it('describes request bodies and the error shape from the zod schemas', () => {
    const schemas = document.components?.schemas ?? {};
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['LoginRequest', 'Session', 'User', 'Error', 'Job']));
    const login = schemas.LoginRequest as { required?: string[] };
    expect(login.required).toEqual(['username', 'password']);
  });
});
