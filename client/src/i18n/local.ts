import type { Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { AppLocale } from '@/lib/locale';

/** `t` and the locale of an area's own messages. */
export interface LocalI18n {
  t: (key: string, named?: Record<string, unknown>) => string;
  locale: Ref<string>;
}

/**
 * A local i18n scope for an area's own messages (kept with its pages, so they
 * load with them and not with the login page). It follows the app's language
 * and falls back to the global messages (app.*, roles.*, values.*).
 *
 * Plainly typed on purpose: vue-i18n's generic key types, applied to local
 * messages on top of the global ones, make vue-tsc fail with TS2589 ("type
 * instantiation is excessively deep").
 *
 *     const messages = { 'zh-CN': { title: '录取轮次' }, en: { title: 'Rounds' } };
 *     const { t } = useLocalI18n(messages);
 */
export function useLocalI18n(messages: Record<AppLocale, object>): LocalI18n {
  const untyped = useI18n as unknown as (options: object) => LocalI18n;
  return untyped({ useScope: 'local', inheritLocale: true, messages });
}
