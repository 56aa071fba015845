/**
 * Pure rules of keeping a session alive in the browser: the access token is
 * short-lived (15 minutes by default) and renewed with the refresh token when
 * a call finds it expired.
 */

/**
 * Whether a failed call should renew the session and be made once more: only
 * an expired session (not a wrong password, not a revoked one seen after a
 * renewal), only when a token was sent, and only once per call.
 */
export function shouldRenewSession(failure: { status: number; code: string }, context: { sentToken: boolean; retried: boolean }): boolean {
  return failure.status === 401 && failure.code === 'SESSION_EXPIRED' && context.sentToken && !context.retried;
}

/**
 * Another tab (or another call in this one) may have renewed the session while
 * this call waited: then the stored access token differs from the one that
 * failed and is used as is. A refresh token must never be presented twice,
 * since the server takes a second use for theft and ends the session.
 */
export function renewedElsewhere(expiredToken: string, storedToken: string | null): string | null {
  return storedToken !== null && storedToken !== expiredToken ? storedToken : null;
}
