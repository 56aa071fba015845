import { onScopeDispose, ref, shallowRef } from 'vue';
import { fetchHome, type HomeSummary } from '@/api/home';
import { ApiError } from '@/api/client';
import type { Role } from '@/lib/roles';

/** Loads a role's home summary; `reload()` tries again after an error. */
export function useHome(role: Role) {
  const summary = shallowRef<HomeSummary | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  let controller: AbortController | null = null;

  async function reload() {
    controller?.abort();
    controller = new AbortController();
    loading.value = true;
    error.value = null;
    try {
      summary.value = await fetchHome(role, controller.signal);
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') return;
      error.value = cause instanceof ApiError ? cause.message : String(cause);
    } finally {
      loading.value = false;
    }
  }

  onScopeDispose(() => controller?.abort());
  void reload();
  return { summary, error, loading, reload };
}
