import { createI18n } from 'vue-i18n';
import { DEFAULT_LOCALE, resolveLocale, type AppLocale } from '@/lib/locale';
import zhCN from './zh-CN';
import en from './en';

/** The message tree; Chinese is the reference every other language must match. */
export type Messages = typeof zhCN;

/** Typed here, where a key missing in English fails vue-tsc. */
const messages: Record<AppLocale, Messages> = { 'zh-CN': zhCN, en };

export const LOCALE_STORAGE_KEY = 'zz.locale';

function savedLocale(): string | null {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    return null; // storage blocked (private mode): start in Chinese
  }
}

export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: resolveLocale(savedLocale()),
  fallbackLocale: DEFAULT_LOCALE,
  messages,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

/** The locale in use now; the API client sends it as Accept-Language. */
export function currentLocale(): AppLocale {
  return i18n.global.locale.value;
}

/** Switches the UI language, remembers it, and keeps <html lang> and the title in step. */
export function applyLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // not remembered, still switched
  }
  syncDocument();
}

export function syncDocument(): void {
  document.documentElement.lang = i18n.global.locale.value;
  document.title = i18n.global.t('app.name');
}
