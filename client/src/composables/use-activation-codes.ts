import { ref, shallowRef } from 'vue';
import { ApiError } from '@/api/client';
import { downloadActivationSlips, issueActivationCodes, type ActivationTarget, type IssuedCode } from '@/api/accounts';
import { currentLocale } from '@/i18n';
import type { LocalI18n } from '@/i18n/local';
import { useAuthStore } from '@/stores/auth';

/** A question put to the user before codes are issued (issuing voids earlier unused codes). */
export interface PendingConfirmation {
  title: string;
  message: string;
  run: () => Promise<void>;
}

/**
 * The state of a page that issues activation codes: the confirmation asked
 * first, the codes just issued (kept only in memory, shown once), the slip
 * download and its outcome. The pages only render it (IssuedCodes.vue shows
 * the two dialogs).
 */
export function useActivationCodes(t: LocalI18n['t']) {
  const auth = useAuthStore();
  const confirmation = shallowRef<PendingConfirmation | null>(null);
  /** The codes of the last issue; null once the dialog is closed, so they are gone for good. */
  const codes = shallowRef<IssuedCode[] | null>(null);
  const busy = ref<'show' | 'download' | null>(null);
  const error = ref<string | null>(null);
  /** Said after a download: the file's name and that its codes are now the valid ones. */
  const notice = ref<string | null>(null);

  function ask(title: string, message: string, run: () => Promise<void>): void {
    confirmation.value = { title, message, run };
  }

  async function confirm(): Promise<void> {
    const pending = confirmation.value;
    confirmation.value = null;
    if (pending) await pending.run();
  }

  function cancel(): void {
    confirmation.value = null;
  }

  function failed(cause: unknown): void {
    error.value = cause instanceof ApiError ? cause.message : String(cause);
  }

  /** Issues codes and shows them in the dialog. */
  async function show(target: ActivationTarget): Promise<void> {
    busy.value = 'show';
    error.value = null;
    notice.value = null;
    try {
      codes.value = await issueActivationCodes(target);
    } catch (cause) {
      failed(cause);
    } finally {
      busy.value = null;
    }
  }

  /** Issues codes and downloads them as printable account slips. */
  async function download(target: ActivationTarget): Promise<void> {
    busy.value = 'download';
    error.value = null;
    notice.value = null;
    try {
      const file = await downloadActivationSlips(target, {
        token: () => auth.token,
        locale: currentLocale(),
        refreshSession: (expired) => auth.refreshSession(expired),
        fallbackMessage: t('errors.unexpected', { status: '' }),
      });
      notice.value = t('slips.downloaded', { file });
    } catch (cause) {
      failed(cause);
    } finally {
      busy.value = null;
    }
  }

  function closeCodes(): void {
    codes.value = null;
  }

  return { confirmation, codes, busy, error, notice, ask, confirm, cancel, show, download, closeCodes };
}

export type ActivationCodes = ReturnType<typeof useActivationCodes>;
