import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { endCurrentWindow, getCurrentCycle, type CurrentCycle } from '@/api/bureau-setup';
import { actionOffered, actionOpensIn, phaseName, type PhaseAction } from '@/lib/phase-actions';
import type { AppLocale } from '@/lib/locale';

/** The current cycle as the server last said, shared by every page of a session (one fetch, refreshed on demand). */
const current = ref<CurrentCycle | null>(null);
const error = ref('');
let inFlight: Promise<void> | null = null;
let boundaryTimer: ReturnType<typeof setTimeout> | undefined;
/** Server time minus browser time, to the millisecond, from the `serverTime` of the last answer. */
const serverOffset = ref(0);

function remember(cycle: CurrentCycle) {
  current.value = cycle;
  serverOffset.value = Date.parse(cycle.serverTime) - Date.now();
  followBoundary(cycle);
}

/** Asks again when the open window closes by the server's clock, so a page follows the schedule without a reload. */
function followBoundary(cycle: CurrentCycle) {
  clearTimeout(boundaryTimer);
  const open = cycle.phases.find((p) => p.phase === cycle.phase);
  if (!open || typeof window === 'undefined') return;
  const wait = Date.parse(open.closesAt) - (Date.now() + serverOffset.value) + 500;
  // setTimeout holds at most ~24.8 days; a longer wait is cut and simply asks again then.
  if (wait > 0) boundaryTimer = setTimeout(() => void refresh(), Math.min(wait, 2_000_000_000));
}

async function refresh(): Promise<void> {
  inFlight ??= getCurrentCycle()
    .then((cycle) => {
      remember(cycle);
      error.value = '';
    })
    .catch((e: unknown) => {
      error.value = (e as Error).message;
    })
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

/**
 * The phase open now (GET /api/cycles/current) and what it allows, by the
 * shared phase → actions table: a page shows a button only if `offered`,
 * otherwise `opensIn` says in words which phase the action opens in.
 */
export function useCyclePhase(options: { load?: boolean | 'if-missing' } = {}) {
  const { locale } = useI18n();
  const lang = computed(() => locale.value as AppLocale);
  if (options.load === 'if-missing' ? current.value === null : options.load !== false) void refresh();
  return {
    cycle: computed(() => current.value),
    phase: computed(() => current.value?.phase ?? null),
    loaded: computed(() => current.value !== null),
    error: computed(() => error.value),
    /** The phase open now, named for people ("志愿填报"). */
    phaseLabel: computed(() => phaseName(current.value?.phase, lang.value)),
    /** Whether the page offers `action` now; false until the phase is known. */
    offered: (action: PhaseAction) => actionOffered(action, current.value?.phase),
    /** "导入数据只能在「准备阶段」进行". */
    opensIn: (action: PhaseAction) => actionOpensIn(action, lang.value),
    /** The server's clock now, by the `serverTime` of the last answer (ms precision; follows a test clock too). */
    serverNow: () => Date.now() + serverOffset.value,
    /** A phase's name for people. */
    nameOf: (phase: string | null | undefined) => phaseName(phase, lang.value),
    refresh,
    /** Sets what the server answered (after a schedule change), so every page follows. */
    set(cycle: CurrentCycle) {
      remember(cycle);
    },
    /** Ends the open window now (city bureau) and takes the schedule the server returns. */
    async endCurrent(): Promise<CurrentCycle> {
      if (!current.value) throw new Error('no cycle');
      const next = await endCurrentWindow(current.value.cycle.id);
      remember(next);
      return next;
    },
  };
}
