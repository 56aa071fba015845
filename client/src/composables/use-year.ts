import { computed, type ComputedRef } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { cycleIdFromQuery, withCycleId } from '@/lib/year-query';

/**
 * The year (招生年度) a page shows: ?cycleId= of the URL, undefined for the
 * current cycle. Setting it replaces the URL, so the page's watcher reloads.
 */
export function useYear(): { cycleId: ComputedRef<string | undefined>; setCycleId: (id: string | undefined) => Promise<void> } {
  const route = useRoute();
  const router = useRouter();
  const cycleId = computed(() => cycleIdFromQuery(route.query));
  async function setCycleId(id: string | undefined) {
    if (id === cycleId.value) return;
    await router.replace({ query: withCycleId(route.query, id) });
  }
  return { cycleId, setCycleId };
}
