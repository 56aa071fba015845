import type { Role } from '@/lib/roles';
import { apiRequest } from './client';

/** The signed-in account, as POST /api/auth/login and GET /api/auth/me return it. */
export interface User {
  id: string | number;
  username: string;
  role: Role;
  displayName: string;
  /** First login, or after a reset: the password must change before anything else. */
  mustChangePassword: boolean;
  highSchoolId: string | number | null;
  juniorSchoolId: string | number | null;
  studentId: string | number | null;
  regionCode: string | null;
}

export interface LoginResponse {
  token: string;
  user: User;
}

export interface ChangePasswordResponse {
  /** A new token when the server rotates it on a password change. */
  token?: string;
  user?: User;
}

export function login(username: string, password: string): Promise<LoginResponse> {
  return apiRequest<LoginResponse>('/auth/login', {
    method: 'POST',
    body: { username, password },
    authenticated: false,
  });
}

export async function fetchMe(): Promise<User> {
  const { user } = await apiRequest<{ user: User }>('/auth/me');
  return user;
}

export function logout(): Promise<void> {
  return apiRequest<void>('/auth/logout', { method: 'POST' });
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<ChangePasswordResponse> {
  return (await apiRequest<ChangePasswordResponse | undefined>('/auth/password', {
    method: 'POST',
    body: { currentPassword, newPassword },
  })) ?? {};
}
