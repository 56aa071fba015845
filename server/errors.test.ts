import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, ERROR_CATALOG, ERROR_CODES, errorMessage, mapError, validationError, zodProblems } from './errors';

describe('ERROR_CATALOG', () => {
  it('has a status and a message in both languages for every code', () => {
    for (const code of ERROR_CODES) {
      const spec = ERROR_CATALOG[code];
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(errorMessage(code, 'zh-CN', { minutes: 15 })).not.toBe('');
      expect(errorMessage(code, 'en', { minutes: 15 })).not.toBe('');
    }
  });
});

describe('mapError', () => {
  it('maps an AppError to its status, code and message in the language asked', () => {
    const error = new AppError('INVALID_CREDENTIALS');
    expect(mapError(error, 'zh-CN')).toEqual({
      status: 401,
      unexpected: false,
      body: { error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' } },
    });
    expect(mapError(error, 'en').body.error.message).toBe('Wrong username or password');
  });

  it('fills message parameters', () => {
    const mapped = mapError(new AppError('SIGN_IN_THROTTLED', { params: { seconds: 900 } }), 'en');
    expect(mapped.status).toBe(429);
    expect(mapped.body.error.message).toContain('15 min');
    expect(mapError(new AppError('SIGN_IN_THROTTLED', { params: { seconds: 8 } }), 'zh-CN').body.error.message).toContain('8 秒');
  });

  it('keeps the field of an AppError', () => {
    const mapped = mapError(new AppError('WRONG_PASSWORD', { field: 'currentPassword' }), 'zh-CN');
    expect(mapped.body.error.field).toBe('currentPassword');
  });

  it('turns a ZodError into a 400 whose message is `field: message`', () => {
    const schema = z.object({ profile: z.object({ age: z.number({ error: 'must be a number' }) }) });
    const result = schema.safeParse({ profile: { age: 'x' } });
    expect(result.success).toBe(false);
    const mapped = mapError(result.error, 'en');
    expect(mapped.status).toBe(400);
    expect(mapped.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'profile.age: must be a number',
      field: 'profile.age',
      details: [{ field: 'profile.age', message: 'must be a number' }],
    });
  });

  it('names the request part when problems are prefixed', () => {
    const result = z.object({ id: z.string() }).safeParse({});
    const problems = zodProblems(result.error!, 'params');
    expect(problems[0].field).toBe('params.id');
    expect(validationError(problems).field).toBe('params.id');
  });

  it('maps body-parser failures to client errors', () => {
    expect(mapError(Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed' }), 'en')).toMatchObject({
      status: 400,
      unexpected: false,
      body: { error: { code: 'MALFORMED_JSON' } },
    });
    expect(mapError({ type: 'entity.too.large' }, 'en').status).toBe(413);
    expect(mapError({ type: 'encoding.unsupported' }, 'en').status).toBe(400);
    // A gzip body that is not gzip: body-parser wraps the zlib error in an exposed 400.
    const zlib = Object.assign(new Error('incorrect header check'), { status: 400, statusCode: 400, expose: true, code: 'Z_DATA_ERROR' });
    expect(mapError(zlib, 'en')).toMatchObject({ status: 400, unexpected: false, body: { error: { code: 'UNREADABLE_BODY' } } });
  });

  it('maps a path parameter with a broken %-escape to 400 MALFORMED_URL', () => {
    const error = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 });
    expect(mapError(error, 'zh-CN')).toMatchObject({ status: 400, unexpected: false, body: { error: { code: 'MALFORMED_URL' } } });
  });

  it('hides the cause of unknown errors behind a generic 500', () => {
    const mapped = mapError(new Error('connection refused to 10.0.0.5 for user 430203200901011234'), 'zh-CN');
    expect(mapped.status).toBe(500);
    expect(mapped.unexpected).toBe(true);
    expect(mapped.body).toEqual({ error: { code: 'INTERNAL', message: '服务器内部错误，请稍后再试' } });
    expect(mapError('a string', 'en').body.error.code).toBe('INTERNAL');
    expect(mapError(null, 'en').body.error.code).toBe('INTERNAL');
  });
});
