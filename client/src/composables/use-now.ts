import { onScopeDispose, ref, type Ref } from 'vue';
import { serverClockOffset } from '@/api/client';

/**
 * The current time on the server's clock, ticking every second; deadlines
 * count down against it because the server, not the phone, decides when a
 * phase closes.
 */
export function useServerNow(intervalMs = 1000): Ref<number> {
  const now = ref(Date.now() + serverClockOffset());
  const timer = setInterval(() => {
    now.value = Date.now() + serverClockOffset();
  }, intervalMs);
  onScopeDispose(() => clearInterval(timer));
  return now;
}
