import type { ZodMediaTypeObject } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/** A plain JSON Schema object, for what zod cannot express. */
type SchemaObject = Record<string, unknown>;
import { jsonResponse, type RouteConfig } from '../shared.schema';

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    checks: z.object({ database: z.enum(['ok', 'down']), redis: z.enum(['ok', 'down']) }),
    worker: z.object({
      lastHeartbeat: z.string().nullable().meta({ description: 'When a worker last ran system.healthcheck (every minute)' }),
    }),
    time: z.string(),
  })
  .meta({ id: 'Health' });
export type HealthBody = z.infer<typeof healthSchema>;

/** A JSON Schema 2020-12 node, as the document's schemas are written (free-form by nature: its keywords are open). */
const jsonSchemaNode: SchemaObject = {
  type: 'object',
  description: 'A JSON Schema 2020-12 schema',
  properties: { type: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }, description: { type: 'string' } },
};
const operation: SchemaObject = {
  type: 'object',
  description: 'Operation Object',
  required: ['responses'],
  properties: {
    summary: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    responses: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['description'],
        properties: { description: { type: 'string' }, content: { type: 'object', additionalProperties: { type: 'object', properties: { schema: jsonSchemaNode } } } },
      },
    },
  },
};
/**
 * The OpenAPI document itself, a plain JSON Schema (zod cannot express its
 * recursion): the parts a client reads, typed; the rest is the OAS 3.1 format
 * (https://spec.openapis.org/oas/3.1/schema/2022-10-07), which
 * server/openapi.test.ts checks the whole document against.
 */
const openApiDocumentSchema: SchemaObject = {
  type: 'object',
  description: 'An OpenAPI 3.1 document',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
    info: { type: 'object', required: ['title', 'version'], properties: { title: { type: 'string' }, version: { type: 'string' }, description: { type: 'string' } } },
    servers: { type: 'array', items: { type: 'object', required: ['url'], properties: { url: { type: 'string' } } } },
    paths: {
      type: 'object',
      additionalProperties: { type: 'object', description: 'Path Item Object', properties: Object.fromEntries(['get', 'put', 'post', 'delete', 'patch'].map((m) => [m, operation])) },
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: jsonSchemaNode },
        securitySchemes: { type: 'object', additionalProperties: { type: 'object', required: ['type'], properties: { type: { type: 'string' }, scheme: { type: 'string' } } } },
      },
    },
  },
};

export const systemPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/health',
    tags: ['system'],
    summary: 'Liveness and readiness: PostgreSQL and Redis reachable (503 when one is down)',
    responses: { 200: jsonResponse('Healthy', healthSchema), 503: jsonResponse('A dependency is down', healthSchema) },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    tags: ['system'],
    summary: 'This document',
    responses: {
      200: {
        description: 'OpenAPI 3.1 document (checked against the OpenAPI 3.1 schema by server/openapi.test.ts)',
        content: { 'application/json': { schema: openApiDocumentSchema as ZodMediaTypeObject['schema'] } },
      },
    },
  },
];
