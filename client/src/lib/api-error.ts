/** What the server sends on any error: `{ error: { code, message, field? } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string; details?: unknown };
}

/**
 * A failed API call. `message` is meant for the user (the server writes it
 * in the language of the request's Accept-Language); `code` is for the code;
 * `field` names the form field at fault, when there is one.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * Seconds to wait before the next sign-in attempt from this device is even
 * checked (429 SIGN_IN_THROTTLED: failures for this account from here); null
 * for any other error. The server's message already says so in the user's language.
 */
export function signInRetryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.code !== 'SIGN_IN_THROTTLED') return null;
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

/** Codes the client itself gives when the server's answer has no usable error body. */
export const CLIENT_ERROR_CODES = {
  network: 'NETWORK_ERROR',
  unexpected: 'UNEXPECTED_RESPONSE',
} as const;

export function isApiErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/**
 * Turns a non-2xx response into an ApiError. A body in the server's error
 * shape is kept as is; anything else (a proxy's HTML page, an empty body)
 * gets `fallbackMessage`, already in the user's language.
 */
export function apiErrorFrom(status: number, body: unknown, fallbackMessage: string): ApiError {
  if (isApiErrorBody(body)) {
    const { code, message, field, details } = body.error;
    return new ApiError(status, code, message || fallbackMessage, field || undefined, details);
  }
  return new ApiError(status, `HTTP_${status}`, fallbackMessage);
}
