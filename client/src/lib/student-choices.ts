/**
 * Editing a ranked list of choices (志愿) in the browser: pure helpers, so the
 * form refuses an impossible choice before anything is sent. The server checks
 * the same rules again on save.
 */

export interface ListableSchool {
  id: string;
  batch: number;
  canList: boolean;
  refusal: { code: string; message: string }[];
}

export type AddCheck = { ok: true } | { ok: false; code: 'ineligible' | 'duplicate' | 'full' | 'wrongBatch'; messages: string[] };

/** Whether `school` may be added to a batch's list that already holds `list` (max `max`). */
export function canAdd(list: readonly string[], school: ListableSchool, batch: number, max: number): AddCheck {
  if (school.batch !== batch) return { ok: false, code: 'wrongBatch', messages: [] };
  if (list.includes(school.id)) return { ok: false, code: 'duplicate', messages: [] };
  if (list.length >= max) return { ok: false, code: 'full', messages: [] };
  if (!school.canList) return { ok: false, code: 'ineligible', messages: school.refusal.map((r) => r.message) };
  return { ok: true };
}

/** The list with the item at `index` moved by `delta` (-1 up, +1 down); unchanged at the ends. */
export function move<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list];
  const next = [...list];
  [next[index], next[target]] = [next[target], next[index]];
  return next;
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/** Same choices, ignoring empty batches. */
export function sameChoices(a: Record<string, string[]>, b: Record<string, string[]>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const x = a[k] ?? [];
    const y = b[k] ?? [];
    if (x.length !== y.length || x.some((id, i) => id !== y[i])) return false;
  }
  return true;
}
