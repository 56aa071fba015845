import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { applyLocale } from '@/i18n';
import { LOCALES, type AppLocale } from '@/lib/locale';

/** The UI language and a way to change it (remembered across visits). */
export function useLocale() {
  const { locale } = useI18n();
  return {
    locale: computed(() => locale.value as AppLocale),
    locales: LOCALES,
    setLocale: (next: AppLocale) => applyLocale(next),
  };
}
