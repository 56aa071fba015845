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
  /** The high school a `high` user works for. */
  highSchoolId: string | null;
  /** The junior school (初中) a `junior` user works for. */
  juniorSchoolId: string | null;
  /** The student record of a `student` user. */
  studentId: string | null;
  /** A county bureau's region; null for the city bureau. */
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
