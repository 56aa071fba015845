import { ref, shallowRef } from 'vue';
import { ApiError } from '@/api/client';
import { kindergartenApi, type KindergartenMe } from '@/api/kindergartens';

/** The signed-in kindergarten's record and filings (GET /api/kindergarten/me); `reload()` after a filing. */
export function useKindergartenMe() {
  const me = shallowRef<KindergartenMe | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);

  async function reload() {
    loading.value = true;
    error.value = null;
    try {
      me.value = await kindergartenApi.me();
    } catch (cause) {
      error.value = cause instanceof ApiError ? cause.message : String(cause);
    } finally {
      loading.value = false;
    }
  }

  void reload();
  return { me, error, loading, reload };
}
