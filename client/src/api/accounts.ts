import type { IssueCodesBody, IssuedCodesBody } from '../../../server/routes/accounts/accounts.schema';
import { apiErrorFrom } from '@/lib/api-error';
import { filenameFromDisposition } from '@/lib/activation';
import type { LoginResponse } from './auth';
import { apiRequest, API_BASE, type ApiError } from './client';

/**
 * Accounts of imported people (server/routes/accounts, server/routes/auth):
 * one-time activation codes, issued by whoever is responsible for the
 * account, and the first sign-in that uses one.
 */

/** Whose accounts get a new code: listed usernames, every student of a junior school, or every account of a role. */
export type ActivationTarget = IssueCodesBody;

/** One issued code, shown once: only its hash is kept on the server. */
export type IssuedCode = IssuedCodesBody['codes'][number];

/** Issues codes and answers them as JSON. Each voids that person's earlier unused code. */
export async function issueActivationCodes(target: ActivationTarget): Promise<IssuedCode[]> {
  const { codes } = await apiRequest<IssuedCodesBody>('/accounts/activation-codes', { method: 'POST', body: target });
  return codes;
}

/** First sign-in (or a reset): the code and a new password. Answers as POST /auth/login does. */
export function activateAccount(username: string, code: string, newPassword: string): Promise<LoginResponse> {
  return apiRequest<LoginResponse>('/auth/activate', { method: 'POST', body: { username, code, newPassword }, authenticated: false });
}

/** What a file download needs from the app: the token (renewed once when it has expired) and the language. */
export interface DownloadContext {
  token(): string | null;
  locale: string;
  /** Renews the session after `expiredToken` was refused (the auth store's refreshSession). */
  refreshSession(expiredToken: string): Promise<boolean>;
  fallbackMessage: string;
}

/**
 * Issues codes and downloads them as printable account slips (账号条, .xlsx),
 * handed to the browser as a file. Resolves with the file's name.
 */
export async function downloadActivationSlips(target: ActivationTarget, ctx: DownloadContext): Promise<string> {
  const response = await postForFile(`${API_BASE}/accounts/activation-codes?format=xlsx`, target, ctx);
  const filename = filenameFromDisposition(response.headers.get('Content-Disposition'), 'account-slips.xlsx');
  saveBlob(await response.blob(), filename);
  return filename;
}

async function postForFile(url: string, body: unknown, ctx: DownloadContext, retried = false): Promise<Response> {
  const token = ctx.token();
  const headers: Record<string, string> = {
    'Accept-Language': ctx.locale,
    'Content-Type': 'application/json',
    Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/json',
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  if (response.ok) return response;
  if (response.status === 401 && token && !retried && (await ctx.refreshSession(token))) return postForFile(url, body, ctx, true);
  throw await failure(response, ctx.fallbackMessage);
}

async function failure(response: Response, fallbackMessage: string): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: the fallback message
  }
  return apiErrorFrom(response.status, body, fallbackMessage);
}

function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
