import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../../domain/auth/auth.rules';
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
    token: z.string().meta({ description: 'Access token (JWT) for `Authorization: Bearer <token>`; short-lived (JWT_TTL)' }),
    expiresAt: z.iso.datetime(),
    refreshToken: z
      .string()
      .meta({ description: 'Opaque; exchange it once at POST /api/auth/refresh for a new session (it is rotated: keep the new one)' }),
    refreshExpiresAt: z.iso.datetime(),
    user: publicUserSchema,
  })
  .meta({ id: 'Session' });
export type SessionBody = z.infer<typeof sessionSchema>;

export const mfaChallengeSchema = z
  .object({
    mfaRequired: z.literal(true),
    mfaToken: z.string().meta({ description: 'Answer it with a TOTP code at POST /api/auth/totp/verify; not an access token' }),
    expiresAt: z.iso.datetime().meta({ description: '5 minutes after the password step' }),
  })
  .meta({ id: 'MfaChallenge' });
export type MfaChallengeBody = z.infer<typeof mfaChallengeSchema>;

export const loginResponseSchema = z.union([sessionSchema, mfaChallengeSchema]).meta({ id: 'LoginResponse' });

export const refreshBodySchema = z
  .object({ refreshToken: z.string().min(1).max(200) })
  .meta({ id: 'RefreshRequest' });

/** A code from the authenticator app: 6 digits (spaces are ignored); anything else is a wrong code. */
const totpCode = z.string().min(1).max(20).meta({ description: '6 digits from the authenticator app', example: '123456' });

export const totpVerifyBodySchema = z
  .object({ mfaToken: z.string().min(1).max(2000), code: totpCode })
  .meta({ id: 'TotpVerifyRequest' });

export const totpEnableBodySchema = z.object({ code: totpCode }).meta({ id: 'TotpEnableRequest' });

export const totpDisableBodySchema = z
  .object({ password: z.string().min(1).max(256), code: totpCode })
  .meta({ id: 'TotpDisableRequest' });

export const totpSetupSchema = z
  .object({
    secret: z.string().meta({ description: 'Base32 secret, to type into an authenticator app; shown only here' }),
    uri: z.string().meta({ description: 'otpauth://totp/… URI (SHA1, 6 digits, 30 s)' }),
    qrCode: z.string().meta({ description: 'The URI as a QR code (SVG data URL)' }),
  })
  .meta({ id: 'TotpSetup' });

export type TotpSetupBody = z.infer<typeof totpSetupSchema>;
export type LoginResponseBody = z.infer<typeof loginResponseSchema>;

export const meSchema = z.object({ user: publicUserSchema }).meta({ id: 'Me' });
export type MeBody = z.infer<typeof meSchema>;

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

/** Errors of the routes open while a password change or TOTP enrollment is pending. */
const SIGNED_IN_ERRORS = AUTHENTICATED_ERRORS.filter((c) => c !== 'FORBIDDEN' && c !== 'PASSWORD_CHANGE_REQUIRED' && c !== 'TOTP_ENROLLMENT_REQUIRED');
/** Errors of the TOTP enrollment routes: bureau only, open while enrollment is pending. */
const ENROLLING_ERRORS = AUTHENTICATED_ERRORS.filter((c) => c !== 'TOTP_ENROLLMENT_REQUIRED');

export const authPaths: RouteConfig[] = [
  {
    method: 'post',
    path: '/api/auth/login',
    tags: ['auth'],
    summary: 'Sign in',
    description:
      'Wrong username or password: 401 INVALID_CREDENTIALS (the same status, message and timing for both). Never locks an account: after 5 failures for one username from one client address, that address waits a time doubling with each further failure (1 s, 2 s, 4 s … up to 1 h) before its next attempt for that username is checked; until then 429 SIGN_IN_THROTTLED with Retry-After, the password not verified (the same for an unknown username). Failures from all addresses only delay an account\'s sign-ins a little (at most 1.5 s): the right password from another address signs in. Also rate-limited per client IP (429 RATE_LIMITED). A bureau account with two-factor sign-in on gets `{ mfaRequired: true, mfaToken }` instead of a session: answer it at POST /api/auth/totp/verify.',
    request: { body: jsonBody(loginBodySchema) },
    responses: {
      200: jsonResponse('Signed in, or the password step of a two-factor sign-in passed', loginResponseSchema),
      ...errorResponses('VALIDATION_FAILED', 'MALFORMED_JSON', 'INVALID_CREDENTIALS', 'SIGN_IN_THROTTLED', 'RATE_LIMITED'),
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
    summary: 'Sign out everywhere: every access and refresh token issued to the caller so far stops working',
    security: bearer,
    responses: { 204: { description: 'Signed out' }, ...errorResponses('UNAUTHENTICATED', 'SESSION_EXPIRED') },
  },
  {
    method: 'post',
    path: '/api/auth/password',
    tags: ['auth'],
    summary: 'Change the password; clears mustChangePassword and returns a new session (older access and refresh tokens are revoked)',
    security: bearer,
    request: { body: jsonBody(changePasswordBodySchema) },
    responses: {
      200: jsonResponse('Password changed', sessionSchema),
      ...errorResponses('VALIDATION_FAILED', 'WRONG_PASSWORD', 'PASSWORD_TOO_WEAK', ...SIGNED_IN_ERRORS, 'SIGN_IN_THROTTLED', 'RATE_LIMITED'),
    },
  },
  {
    method: 'post',
    path: '/api/auth/refresh',
    tags: ['auth'],
    summary: 'Renew a session with its refresh token (rotation: the token is used up and a new one returned)',
    description:
      'Unknown, expired or revoked refresh token: 401 SESSION_EXPIRED. The same token presented again within 30 s of its first use (two tabs refreshing at once) gets another session of the same sign-in. Presented again later, it means it leaked: the sign-in ends, its refresh tokens and its access tokens (within the read cache\'s few seconds) stop working, and the answer is 401 REFRESH_TOKEN_REUSED.',
    request: { body: jsonBody(refreshBodySchema) },
    responses: {
      200: jsonResponse('A new session', sessionSchema),
      ...errorResponses('VALIDATION_FAILED', 'MALFORMED_JSON', 'SESSION_EXPIRED', 'REFRESH_TOKEN_REUSED'),
    },
  },
  {
    method: 'post',
    path: '/api/auth/totp/verify',
    tags: ['auth'],
    summary: 'Second step of a two-factor sign-in: the mfaToken from /login and a code from the authenticator app',
    description:
      'RFC 6238 (SHA1, 6 digits, 30 s, one step either side). A wrong code is 401 INVALID_TOTP_CODE and is throttled per client address like a wrong password (429 SIGN_IN_THROTTLED with Retry-After); a code already accepted is 400 TOTP_CODE_REPLAYED; an expired challenge is 401 MFA_CHALLENGE_EXPIRED (sign in again).',
    request: { body: jsonBody(totpVerifyBodySchema) },
    responses: {
      200: jsonResponse('Signed in', sessionSchema),
      ...errorResponses('VALIDATION_FAILED', 'MALFORMED_JSON', 'INVALID_TOTP_CODE', 'TOTP_CODE_REPLAYED', 'MFA_CHALLENGE_EXPIRED', 'SIGN_IN_THROTTLED', 'RATE_LIMITED'),
    },
  },
  {
    method: 'post',
    path: '/api/auth/totp/setup',
    tags: ['auth'],
    summary: 'Bureau: start turning on two-factor sign-in: a new secret to add to an authenticator app (shown only here)',
    security: bearer,
    responses: {
      200: jsonResponse('The secret, its otpauth:// URI and a QR code', totpSetupSchema),
      ...errorResponses('TOTP_ALREADY_ENABLED', ...ENROLLING_ERRORS),
    },
  },
  {
    method: 'post',
    path: '/api/auth/totp/enable',
    tags: ['auth'],
    summary: 'Bureau: turn on two-factor sign-in with a code from the app set up at /totp/setup',
    security: bearer,
    request: { body: jsonBody(totpEnableBodySchema) },
    responses: {
      200: jsonResponse('Two-factor sign-in is on', meSchema),
      ...errorResponses('VALIDATION_FAILED', 'WRONG_TOTP_CODE', 'TOTP_NOT_SET_UP', 'TOTP_ALREADY_ENABLED', ...ENROLLING_ERRORS),
    },
  },
  {
    method: 'post',
    path: '/api/auth/totp/disable',
    tags: ['auth'],
    summary: 'Bureau: turn off two-factor sign-in (needs the password and a current code)',
    security: bearer,
    request: { body: jsonBody(totpDisableBodySchema) },
    responses: {
      200: jsonResponse('Two-factor sign-in is off', meSchema),
      ...errorResponses('VALIDATION_FAILED', 'WRONG_PASSWORD', 'WRONG_TOTP_CODE', 'TOTP_CODE_REPLAYED', 'TOTP_NOT_ENABLED', ...ENROLLING_ERRORS, 'RATE_LIMITED'),
    },
  },
];
