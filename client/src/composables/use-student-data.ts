import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/client';

/**
 * Loads one student-portal resource, reloads it when the language changes
 * (reasons come from the server in the UI's language), and keeps the error
 * message to show.
 */
export function useStudentData<T>(load: () => Promise<T>) {
  const { locale } = useI18n();
  const data = shallowRef<T | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  async function reload() {
    loading.value = true;
    error.value = null;
    try {
      data.value = await load();
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : String(e);
    } finally {
      loading.value = false;
    }
  }
  watch(locale, () => void reload());
  void reload();
  return { data, error, loading, reload };
}

/** The server's time, ticking each second, from a `serverTime` the server sent (the server decides deadlines). */
export function useServerClock(serverTime: Ref<string | null | undefined>): Ref<number> {
  let offset = 0;
  const now = ref(Date.now());
  watch(
    serverTime,
    (value) => {
      if (value) offset = Date.parse(value) - Date.now();
      now.value = Date.now() + offset;
    },
    { immediate: true },
  );
  const timer = setInterval(() => (now.value = Date.now() + offset), 1000);
  onScopeDispose(() => clearInterval(timer));
  return now;
}
