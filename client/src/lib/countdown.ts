const UNITS = {
  zh: { d: '天', h: '小时', m: '分', s: '秒', sep: ' ' },
  en: { d: 'd', h: 'h', m: 'm', s: 's', sep: ' ' },
} as const;

/**
 * Formats the time left until a deadline, e.g. `2天 03小时 05分 09秒` in
 * Chinese or `2d 03h 05m 09s` in English. Leading units that are zero are
 * left out (`05分 09秒`), the units after the first are zero-padded so the
 * text does not jump while it ticks, and a deadline that has passed reads
 * as zero. `locale` is a BCP 47 tag; anything not Chinese gets English.
 */
export function formatCountdown(ms: number, locale: string): string {
  const units = locale.toLowerCase().startsWith('zh') ? UNITS.zh : UNITS.en;
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;

  const parts: string[] = [];
  const push = (value: number, unit: string) => {
    parts.push(`${parts.length === 0 ? String(value) : String(value).padStart(2, '0')}${unit}`);
  };
  if (days > 0) push(days, units.d);
  if (days > 0 || hours > 0) push(hours, units.h);
  if (days > 0 || hours > 0 || minutes > 0) push(minutes, units.m);
  push(seconds, units.s);
  return parts.join(units.sep);
}
