import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as authApi from '@/api/auth';
import type { User } from '@/api/auth';
import { ApiError } from '@/api/client';
import { homePathFor } from '@/lib/roles';

export const TOKEN_STORAGE_KEY = 'zz.token';

function readToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_STORAGE_KEY, token);
    else localStorage.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // storage blocked: the session lasts as long as the tab
  }
}

/** Who is signed in. The token survives reloads; the user is fetched again with me(). */
export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(readToken());
  const user = ref<User | null>(null);
  let restoring: Promise<void> | null = null;

  const isAuthenticated = computed(() => token.value !== null && user.value !== null);
  const homePath = computed(() => (user.value ? homePathFor(user.value.role) : '/login'));

  function setSession(nextToken: string | null, nextUser: User | null) {
    token.value = nextToken;
    user.value = nextUser;
    writeToken(nextToken);
  }

  /**
   * Restores the session from a saved token (GET /api/auth/me), once per
   * page load; the router waits for it. A rejected token is forgotten; a
   * network failure keeps it, so a flaky phone connection does not log out.
   */
  function restore(): Promise<void> {
    restoring ??= (async () => {
      if (!token.value || user.value) return;
      try {
        user.value = await authApi.fetchMe();
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) setSession(null, null);
        else throw error;
      }
    })().finally(() => {
      restoring = null;
    });
    return restoring;
  }

  async function login(username: string, password: string): Promise<User> {
    const response = await authApi.login(username, password);
    setSession(response.token, response.user);
    return response.user;
  }

  async function logout(): Promise<void> {
    try {
      if (token.value) await authApi.logout();
    } catch {
      // the token is dropped here whatever the server says
    } finally {
      setSession(null, null);
    }
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const response = await authApi.changePassword(currentPassword, newPassword);
    if (response.token) setSession(response.token, user.value);
    user.value = response.user ?? (await authApi.fetchMe());
  }

  /** The server ended the session (401 on a call): forget it locally. */
  function sessionEnded(): void {
    setSession(null, null);
  }

  return { token, user, isAuthenticated, homePath, restore, login, logout, changePassword, sessionEnded };
});
