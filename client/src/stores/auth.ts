import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import * as authApi from '@/api/auth';
import { activateAccount } from '@/api/accounts';
import type { Session, TotpSetup, User } from '@/api/auth';
import { ApiError } from '@/api/client';
import { homePathFor } from '@/lib/roles';
import { renewedElsewhere } from '@/lib/session';
import { rememberSchoolHint } from '@/lib/prefetch';

export const TOKEN_STORAGE_KEY = 'zz.token';
export const REFRESH_TOKEN_STORAGE_KEY = 'zz.refresh';
/** Web Lock shared by the tabs of the site, so only one renews the session at a time. */
const REFRESH_LOCK = 'zz.auth.refresh';

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStored(key: string, value: string | null): void {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // storage blocked: the session lasts as long as the tab
  }
}

/** Runs `work` while holding the cross-tab refresh lock, where the browser has Web Locks. */
function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request(REFRESH_LOCK, work) : work();
}

/** What the password step of a sign-in gave: the user, or a code still to ask for. */
export type LoginStep = { kind: 'signed-in'; user: User } | { kind: 'code-required'; mfaToken: string };

/**
 * Who is signed in. The access token (short-lived) and the refresh token
 * survive reloads; the user is fetched again with me(). An expired access
 * token is renewed with the refresh token (the API client asks for it), once
 * per tab at a time and once across tabs.
 */
export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(readStored(TOKEN_STORAGE_KEY));
  const refreshToken = ref<string | null>(readStored(REFRESH_TOKEN_STORAGE_KEY));
  const user = ref<User | null>(null);
  let restoring: Promise<void> | null = null;
  // The school of whoever signs in, for the next reload's prefetch; forgotten at sign-out.
  watch(user, (next) => rememberSchoolHint(next?.highSchoolId ?? null));
  let refreshing: Promise<boolean> | null = null;

  const isAuthenticated = computed(() => token.value !== null && user.value !== null);
  const homePath = computed(() => (user.value ? homePathFor(user.value.role) : '/login'));

  function setTokens(nextToken: string | null, nextRefreshToken: string | null) {
    token.value = nextToken;
    refreshToken.value = nextRefreshToken;
    writeStored(TOKEN_STORAGE_KEY, nextToken);
    writeStored(REFRESH_TOKEN_STORAGE_KEY, nextRefreshToken);
  }

  function applySession(session: Session) {
    setTokens(session.token, session.refreshToken);
    user.value = session.user;
  }

  function clearSession() {
    setTokens(null, null);
    user.value = null;
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
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) clearSession();
        else throw error;
      }
    })().finally(() => {
      restoring = null;
    });
    return restoring;
  }

  /** The password step. Where two-factor sign-in is on, nothing is stored until the code is right. */
  async function login(username: string, password: string): Promise<LoginStep> {
    const response = await authApi.login(username, password);
    if (authApi.isMfaChallenge(response)) return { kind: 'code-required', mfaToken: response.mfaToken };
    applySession(response);
    return { kind: 'signed-in', user: response.user };
  }

  /**
   * First sign-in with an activation code (or a reset): sets the password and
   * signs in, as login does (an account with two-factor sign-in still needs its code).
   */
  async function activate(username: string, code: string, newPassword: string): Promise<LoginStep> {
    const response = await activateAccount(username, code, newPassword);
    if (authApi.isMfaChallenge(response)) return { kind: 'code-required', mfaToken: response.mfaToken };
    applySession(response);
    return { kind: 'signed-in', user: response.user };
  }

  /** The code step of a two-factor sign-in. */
  async function verifyTotp(mfaToken: string, code: string): Promise<User> {
    const session = await authApi.verifyTotp(mfaToken, code);
    applySession(session);
    return session.user;
  }

  /**
   * Renews the session after `expiredToken` was refused as expired. Calls that
   * fail together share one renewal; tabs take turns through a Web Lock, and
   * a tab that finds the session renewed by another uses that. False when the
   * session cannot be renewed (no refresh token, or the server refused it):
   * the caller ends the session. A network failure is thrown, not false.
   */
  function refreshSession(expiredToken: string): Promise<boolean> {
    refreshing ??= withRefreshLock(async () => {
      const newer = renewedElsewhere(expiredToken, readStored(TOKEN_STORAGE_KEY) ?? token.value);
      if (newer) {
        token.value = newer;
        refreshToken.value = readStored(REFRESH_TOKEN_STORAGE_KEY) ?? refreshToken.value;
        return true;
      }
      const current = readStored(REFRESH_TOKEN_STORAGE_KEY) ?? refreshToken.value;
      if (!current) return false;
      try {
        applySession(await authApi.refresh(current));
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return false;
        throw error;
      }
    }).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function logout(): Promise<void> {
    try {
      if (token.value) await authApi.logout();
    } catch {
      // the tokens are dropped here whatever the server says
    } finally {
      clearSession();
    }
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    applySession(await authApi.changePassword(currentPassword, newPassword));
  }

  /** A new secret for the authenticator app (bureau). */
  function setupTotp(): Promise<TotpSetup> {
    return authApi.setupTotp();
  }

  async function enableTotp(code: string): Promise<void> {
    user.value = await authApi.enableTotp(code);
  }

  async function disableTotp(password: string, code: string): Promise<void> {
    user.value = await authApi.disableTotp(password, code);
  }

  /** The server ended the session (401 on a call, renewal refused): forget it locally. */
  function sessionEnded(): void {
    clearSession();
  }

  return {
    token,
    user,
    isAuthenticated,
    homePath,
    restore,
    login,
    activate,
    verifyTotp,
    refreshSession,
    logout,
    changePassword,
    setupTotp,
    enableTotp,
    disableTotp,
    sessionEnded,
  };
});
