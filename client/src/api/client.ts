import { ApiError, CLIENT_ERROR_CODES, apiErrorFrom } from '@/lib/api-error';
import type { AppLocale } from '@/lib/locale';
import { shouldRenewSession } from '@/lib/session';

export { ApiError } from '@/lib/api-error';

/**
 * What the client needs from the rest of the app, given once at start
 * (main.ts) so this module imports no store and no i18n instance.
 */
export interface ApiClientContext {
  /** The signed-in user's token, if any. */
  token(): string | null;
  locale(): AppLocale;
  /** Messages for failures that carry no server message, in the user's language. */
  networkErrorMessage(): string;
  unexpectedErrorMessage(status: number): string;
  /**
   * Renews the session after `expiredToken` was refused as expired (the
   * refresh token); true when there is a new access token to retry with.
   */
  refreshSession?(expiredToken: string): Promise<boolean>;
  /** Called when an authenticated call answers 401 and renewing did not help: the session is over. */
  onUnauthorized(error: ApiError): void;
}

let context: ApiClientContext | undefined;

export function configureApiClient(value: ApiClientContext): void {
  context = value;
}

function ctx(): ApiClientContext {
  if (!context) throw new Error('configureApiClient() must run before the first API call');
  return context;
}

export const API_BASE = '/api';

let serverClockOffsetMs = 0;

/**
 * Server time minus browser time, from the last response's Date header
 * (to the second). Deadlines count down on server time: the server, not
 * the browser, decides which phase is open.
 */
export function serverClockOffset(): number {
  return serverClockOffsetMs;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  /** Off for the login call itself: a 401 there is a wrong password, not an ended session. */
  authenticated?: boolean;
}

/**
 * Calls the platform API: JSON in and out, the Bearer token when signed in,
 * Accept-Language from the UI's locale. Resolves with the parsed body
 * (undefined for 204); rejects with an ApiError whose message can be shown
 * to the user as is. An access token that expired is renewed with the
 * refresh token and the call made once more, unseen by the caller.
 */
export function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return send<T>(path, options, false);
}

async function send<T>(path: string, options: RequestOptions, retried: boolean): Promise<T> {
  const { method = 'GET', body, query, signal, authenticated = true } = options;
  const c = ctx();

  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': c.locale(),
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = authenticated ? c.token() : null;
  if (token) headers.Authorization = `Bearer ${token}`;

  let url = `${API_BASE}${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const search = params.toString();
    if (search) url += `?${search}`;
  }

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: 'same-origin',
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, CLIENT_ERROR_CODES.network, c.networkErrorMessage());
  }

  const serverDate = response.headers.get('Date');
  if (serverDate) {
    const parsed = Date.parse(serverDate);
    if (!Number.isNaN(parsed)) serverClockOffsetMs = parsed - Date.now();
  }

  if (response.status === 204) return undefined as T;

  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }

  if (!response.ok) {
    const error = apiErrorFrom(response.status, parsed, c.unexpectedErrorMessage(response.status));
    if (response.status === 401 && token) {
      if (shouldRenewSession(error, { sentToken: true, retried }) && c.refreshSession && (await c.refreshSession(token))) {
        return send<T>(path, options, true);
      }
      c.onUnauthorized(error);
    }
    throw error;
  }
  if (typeof parsed === 'string') {
    // A 200 that is not JSON is the SPA's index.html: the API route is missing.
    throw new ApiError(response.status, CLIENT_ERROR_CODES.unexpected, c.unexpectedErrorMessage(response.status));
  }
  return parsed as T;
}
