/**
 * The year a page shows lives in the URL (?cycleId=), so a link or a reload
 * opens the same year. Pure helpers, tested without a router.
 */

type QueryValue = string | null | (string | null)[] | undefined;

/** The cycle id of a route query, or undefined for the current cycle. */
export function cycleIdFromQuery(query: Record<string, QueryValue>): string | undefined {
  const raw = query.cycleId;
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The query with `cycleId` set, or removed when the current cycle is picked (no id). */
export function withCycleId(query: Record<string, QueryValue>, cycleId: string | undefined): Record<string, QueryValue> {
  const { cycleId: _old, ...rest } = query;
  return cycleId ? { ...rest, cycleId } : rest;
}
