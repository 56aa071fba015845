/**
 * A page's first request started early: the router calls a route's
 * `meta.prefetch` while it restores the session (GET /api/auth/me), so the two
 * travel together instead of one after the other; the page then takes the
 * answer with `takePrefetched` under the same key, or asks again if there is
 * none (another user, another query, or the prefetch failed). The server still
 * checks every request: a wrong guess only costs a refused answer.
 */
const pending = new Map<string, Promise<unknown>>();

/** Starts `load` under `key` unless it is already started. */
export function prefetch<T>(key: string, load: () => Promise<T>): void {
  if (pending.has(key)) return;
  const started = load();
  started.catch(() => undefined); // a failed prefetch is asked again by the page
  pending.set(key, started);
}

/** The prefetched answer for `key` (once), or a fresh `load()`. */
export function takePrefetched<T>(key: string, load: () => Promise<T>): Promise<T> {
  const started = pending.get(key) as Promise<T> | undefined;
  pending.delete(key);
  return started ? started.catch(() => load()) : load();
}

/** The last signed-in user's school, kept beside the token so a reload can prefetch before me() answers. */
const SCHOOL_HINT_KEY = 'zz.school-hint';

export function rememberSchoolHint(highSchoolId: string | null | undefined): void {
  try {
    if (highSchoolId) localStorage.setItem(SCHOOL_HINT_KEY, highSchoolId);
    else localStorage.removeItem(SCHOOL_HINT_KEY);
  } catch {
    // storage blocked: no prefetch
  }
}

export function schoolHint(): string | null {
  try {
    return localStorage.getItem(SCHOOL_HINT_KEY);
  } catch {
    return null;
  }
}
