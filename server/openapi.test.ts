import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi';

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

  it('describes request bodies and the error shape from the zod schemas', () => {
    const schemas = document.components?.schemas ?? {};
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['LoginRequest', 'Session', 'User', 'Error', 'Job']));
    const login = schemas.LoginRequest as { required?: string[] };
    expect(login.required).toEqual(['username', 'password']);
  });
});
