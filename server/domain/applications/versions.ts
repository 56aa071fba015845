/**
 * Optimistic versioning of an application: each save names the version it was
 * based on (0 when the student has none yet); a save based on an older version
 * than the stored one is a conflict and changes nothing (two tabs, two phones).
 */

export type VersionCheck = { ok: true; next: number } | { ok: false; current: number };

/** Whether a save based on `baseVersion` may replace `currentVersion` (null: nothing saved yet). */
export function checkBaseVersion(currentVersion: number | null, baseVersion: number): VersionCheck {
  const current = currentVersion ?? 0;
  return baseVersion === current ? { ok: true, next: current + 1 } : { ok: false, current };
}
