import type { Role } from '@/lib/roles';
import { apiRequest } from './client';

/** The signed-in account, as POST /api/auth/login and GET /api/auth/me return it. */
export interface User {
  id: string;
  /** 准考证号 for a student, the account name for everyone else. */
  username: string;
  role: Role;
  displayName: string;
  /** First login, or after a reset: the password must change before anything else. */
  mustChangePassword: boolean;
  /** Two-factor sign-in (authenticator app codes) is on. */
  totpEnabled: boolean;
  /** A bureau account that must turn on two-factor sign-in before anything else (after the password). */
  mustEnrollTotp: boolean;
  /** The high school a `high` user works for. */
  highSchoolId: string | null;
  /** The junior school (初中) a `junior` user works for. */
  juniorSchoolId: string | null;
  /** The student record of a `student` user. */
  studentId: string | null;
  /** A county bureau's region; null for the city bureau. */
  regionCode: string | null;
}

/** A signed-in session: a short-lived access token and the refresh token that renews it. */
export interface Session {
  token: string;
  expiresAt: string;
  /** Single use: POST /auth/refresh answers with a new one. */
  refreshToken: string;
  refreshExpiresAt: string;
  user: User;
}

/** The password was right; a code from the authenticator app is still needed (5 minutes). */
export interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
  expiresAt: string;
}

export type LoginResponse = Session | MfaChallenge;

export function isMfaChallenge(response: LoginResponse): response is MfaChallenge {
  return 'mfaRequired' in response && response.mfaRequired === true;
}

/** What setting up two-factor sign-in shows, once: for the authenticator app. */
export interface TotpSetup {
  /** Base32, to type in by hand. */
  secret: string;
  /** otpauth:// link: opens the authenticator app on a phone. */
  uri: string;
  /** The link as a QR code (SVG data URL). */
  qrCode: string;
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
  const { user } = await apiRequest<{ user: User }>('/auth/me');
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
