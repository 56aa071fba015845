import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFrom, isApiErrorBody, signInRetryAfterSeconds } from './api-error';

describe('apiErrorFrom', () => {
  it('keeps the code, message and field of a server error', () => {
    const error = apiErrorFrom(
      400,
      { error: { code: 'VALIDATION', message: '新密码至少 8 位', field: 'newPassword' } },
      'fallback',
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION', message: '新密码至少 8 位', field: 'newPassword' });
  });
  it('maps the login errors', () => {
    expect(apiErrorFrom(401, { error: { code: 'INVALID_CREDENTIALS', message: '账号或密码错误' } }, 'x')).toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
      message: '账号或密码错误',
      field: undefined,
    });
    const throttled = apiErrorFrom(429, { error: { code: 'SIGN_IN_THROTTLED', message: '请 8 秒后再试', details: { retryAfterSeconds: 8 } } }, 'x');
    expect(throttled).toMatchObject({ status: 429, code: 'SIGN_IN_THROTTLED', message: '请 8 秒后再试' });
    expect(signInRetryAfterSeconds(throttled)).toBe(8);
  });

  it('reads the wait of a throttled sign-in, and nothing else', () => {
    expect(signInRetryAfterSeconds(apiErrorFrom(429, { error: { code: 'RATE_LIMITED', message: 'x' } }, 'x'))).toBeNull();
    expect(signInRetryAfterSeconds(apiErrorFrom(429, { error: { code: 'SIGN_IN_THROTTLED', message: 'x', details: { retryAfterSeconds: 'soon' } } }, 'x'))).toBeNull();
    expect(signInRetryAfterSeconds(new Error('x'))).toBeNull();
  });
  it('falls back for a body of another shape', () => {
    for (const body of [null, '<html>Bad gateway</html>', { message: 'x' }, { error: 'x' }, { error: { code: 1 } }]) {
      expect(apiErrorFrom(502, body, '服务器暂时不可用')).toMatchObject({
        status: 502,
        code: 'HTTP_502',
        message: '服务器暂时不可用',
      });
    }
  });
  it('uses the fallback when the server message is empty', () => {
    expect(apiErrorFrom(500, { error: { code: 'INTERNAL', message: '' } }, '出错了').message).toBe('出错了');
  });
});

describe('isApiErrorBody', () => {
  it('needs a code and a message', () => {
    expect(isApiErrorBody({ error: { code: 'A', message: 'b' } })).toBe(true);
    expect(isApiErrorBody({ error: { code: 'A' } })).toBe(false);
    expect(isApiErrorBody(undefined)).toBe(false);
  });
});
