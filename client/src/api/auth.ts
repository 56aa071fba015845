import type { LoginResponseBody, MeBody, MfaChallengeBody, SessionBody, TotpSetupBody } from '../../../server/routes/auth/auth.schema';
import type { PublicUserBody } from '../../../server/routes/shared.schema';
import { apiRequest } from './client';

/**
 * The signed-in account (as POST /api/auth/login and GET /api/auth/me return
 * it), a session, the two-factor challenge and setup: the contract's types
 * (server/routes/auth/auth.schema.ts, server/routes/shared.schema.ts).
 */
export type User = PublicUserBody;
export type Session = SessionBody;
export type MfaChallenge = MfaChallengeBody;
export type LoginResponse = LoginResponseBody;
export type TotpSetup = TotpSetupBody;

export function isMfaChallenge(response: LoginResponse): response is MfaChallenge {
  return 'mfaRequired' in response && response.mfaRequired === true;
}


export function login(username: string, password: string): Promise<LoginResponse> {
  return apiRequest<LoginResponse>('/auth/login', {
    method: 'POST',
    body: { username, password },
    authenticated: false,
  });
}

/** The second step of a two-factor sign-in. */
export function verifyTotp(mfaToken: string, code: string): Promise<Session> {
  return apiRequest<Session>('/auth/totp/verify', { method: 'POST', body: { mfaToken, code }, authenticated: false });
}

/** Renews the session; the refresh token given is used up. */
export function refresh(refreshToken: string): Promise<Session> {
  return apiRequest<Session>('/auth/refresh', { method: 'POST', body: { refreshToken }, authenticated: false });
}

export function setupTotp(): Promise<TotpSetup> {
  return apiRequest<TotpSetup>('/auth/totp/setup', { method: 'POST' });
}

export async function enableTotp(code: string): Promise<User> {
  return (await apiRequest<{ user: User }>('/auth/totp/enable', { method: 'POST', body: { code } })).user;
}

export async function disableTotp(password: string, code: string): Promise<User> {
  return (await apiRequest<{ user: User }>('/auth/totp/disable', { method: 'POST', body: { password, code } })).user;
}

export async function fetchMe(): Promise<User> {
  const { user } = await apiRequest<MeBody>('/auth/me');
  return user;
}

export function logout(): Promise<void> {
  return apiRequest<void>('/auth/logout', { method: 'POST' });
}

/** Changes the password; the server ends every other session and returns a new one. */
export function changePassword(currentPassword: string, newPassword: string): Promise<Session> {
  return apiRequest<Session>('/auth/password', {
    method: 'POST',
    body: { currentPassword, newPassword },
  });
}
