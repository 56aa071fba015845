/**
 * A moment as the pages print it, in the browser's time zone:
 * `2026/6/22 09:00:00` (zh-CN) or `22/06/2026, 09:00:00` (en).
 *
 * Written out by hand rather than with `toLocaleString`: the first
 * `Intl.DateTimeFormat` of a page loads the locale's calendar data, which
 * cost the admission list's first paint more than its whole table.
 */
export function formatDateTime(at: string | number | Date, locale: string): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  if (locale.startsWith('zh')) return `${d.getFullYear()}/${d.getMonth() + 1}/${d.getDate()} ${time}`;
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}, ${time}`;
}
