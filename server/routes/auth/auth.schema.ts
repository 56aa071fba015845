import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../../services/auth.rules';
import {
  AUTHENTICATED_ERRORS,
  bearer,
  errorResponses,
  jsonBody,
  jsonResponse,
  publicUserSchema,
  type RouteConfig,
} from '../shared.schema';

export const loginBodySchema = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .meta({ id: 'LoginRequest' });
export type LoginBody = z.infer<typeof loginBodySchema>;

export const sessionSchema = z
  .object({
    token: z.string().meta({ description: 'JWT for `Authorization: Bearer <token>`' }),
    expiresAt: z.iso.datetime(),
    user: publicUserSchema,
  })
  .meta({ id: 'Session' });
export type SessionBody = z.infer<typeof sessionSchema>;

export const meSchema = z.object({ user: publicUserSchema }).meta({ id: 'Me' });

export const changePasswordBodySchema = z
  .object({
    currentPassword: z.string().min(1).max(256),
    newPassword: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH)
      .meta({ description: 'At least 8 characters with letters and digits, not containing the username, different from the current one' }),
  })
  .meta({ id: 'ChangePasswordRequest' });
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

export const authPaths: RouteConfig[] = [
  {
    method: 'post',
    path: '/api/auth/login',
    tags: ['auth'],
    summary: 'Sign in',
    description:
      'Wrong username or password: 401 INVALID_CREDENTIALS (the same for both). Failures in a row are answered more slowly; the 5th locks the account for 15 minutes (423 ACCOUNT_LOCKED). Rate-limited per client IP (429).',
    request: { body: jsonBody(loginBodySchema) },
    responses: {
      200: jsonResponse('Signed in', sessionSchema),
      ...errorResponses('VALIDATION_FAILED', 'MALFORMED_JSON', 'INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'RATE_LIMITED'),
    },
  },
  {
    method: 'get',
    path: '/api/auth/me',
    tags: ['auth'],
    summary: 'The signed-in user (any role; allowed while a password change is pending)',
    security: bearer,
    responses: { 200: jsonResponse('The caller', meSchema), ...errorResponses('UNAUTHENTICATED', 'SESSION_EXPIRED') },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    tags: ['auth'],
    summary: 'Sign out everywhere: every token issued to the caller so far stops working',
    security: bearer,
    responses: { 204: { description: 'Signed out' }, ...errorResponses('UNAUTHENTICATED', 'SESSION_EXPIRED') },
  },
  {
    method: 'post',
    path: '/api/auth/password',
    tags: ['auth'],
    summary: 'Change the password; clears mustChangePassword and returns a new session (older tokens are revoked)',
    security: bearer,
    request: { body: jsonBody(changePasswordBodySchema) },
    responses: {
      200: jsonResponse('Password changed', sessionSchema),
      ...errorResponses('VALIDATION_FAILED', 'WRONG_PASSWORD', 'PASSWORD_TOO_WEAK', ...AUTHENTICATED_ERRORS.filter((c) => c !== 'FORBIDDEN' && c !== 'PASSWORD_CHANGE_REQUIRED'), 'RATE_LIMITED'),
    },
  },
];
