/** The languages of the UI: Chinese first (PLATFORM.md), English available. */
export const LOCALES = ['zh-CN', 'en'] as const;

export type AppLocale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: AppLocale = 'zh-CN';

/**
 * The locale to start with from what was saved: a saved choice wins, an
 * unknown or missing one falls back to Chinese, whatever the browser says
 * (the platform's public is Chinese; English is an explicit choice).
 */
export function resolveLocale(saved: string | null | undefined): AppLocale {
  if (!saved) return DEFAULT_LOCALE;
  const exact = LOCALES.find((locale) => locale === saved);
  if (exact) return exact;
  const lower = saved.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return DEFAULT_LOCALE;
}
