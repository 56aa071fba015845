import { newPasswordProblem, type PasswordProblem } from './password';
import { homePathFor, type Role } from './roles';

/** Where a student fills in choices (志愿): a student who has just activated starts there. */
export const STUDENT_CHOICES_PATH = '/student/choices';

/** The most usernames one request may list (the server's limit: a whole city's students). */
export const MAX_USERNAMES = 100_000;

/**
 * A code as typed from a printed account slip (账号条): spaces and dashes a
 * slip may group it with, or a phone's keyboard may add, are dropped; the
 * server compares what is left.
 */
export function normalizeActivationCode(typed: string): string {
  return typed.replace(/[\s\-‐-―－]+/g, '');
}

/**
 * The usernames of a pasted list: one per line, or separated by commas,
 * 顿号 or spaces (as copied from a spreadsheet column or a chat message);
 * blanks and repeats dropped, first appearance kept.
 */
export function parseUsernames(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,，、;；]+/)) {
    const username = part.trim();
    if (username) seen.add(username);
  }
  return [...seen];
}

export type ActivationField = 'username' | 'code' | 'newPassword' | 'confirmPassword';

/** What is wrong with a field of the first sign-in form, as a message key of the accounts area. */
export type ActivationProblem =
  | { field: 'username'; problem: 'required' }
  | { field: 'code'; problem: 'required' }
  | { field: 'newPassword'; problem: 'required' | PasswordProblem }
  | { field: 'confirmPassword'; problem: 'mismatch' };

/**
 * Checks the first sign-in form before it is sent (the server stays the
 * judge): every field filled, the new password passing the platform's rule
 * (lib/password.ts), typed the same twice. One problem per field, in form order.
 */
export function activationFormProblems(form: Record<ActivationField, string>): ActivationProblem[] {
  const problems: ActivationProblem[] = [];
  const username = form.username.trim();
  if (!username) problems.push({ field: 'username', problem: 'required' });
  if (!normalizeActivationCode(form.code)) problems.push({ field: 'code', problem: 'required' });
  if (!form.newPassword) problems.push({ field: 'newPassword', problem: 'required' });
  else {
    const problem = newPasswordProblem(form.newPassword, { username });
    if (problem) problems.push({ field: 'newPassword', problem });
  }
  if (form.newPassword && form.confirmPassword !== form.newPassword) problems.push({ field: 'confirmPassword', problem: 'mismatch' });
  return problems;
}

/**
 * Where an account goes once activated: a student to the choices page (the
 * one thing a new student has to do), everyone else to their home.
 * Two-factor enrolment and a forced password change still come first, as the
 * router guard decides.
 */
export function pathAfterActivation(user: { role: Role }): string {
  return user.role === 'student' ? STUDENT_CHOICES_PATH : homePathFor(user.role);
}

/**
 * The file name a download's Content-Disposition header gives (the UTF-8
 * `filename*` form first, as the server writes Chinese names), else `fallback`.
 */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded.trim());
    } catch {
      // a malformed escape: try the plain form
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"|filename\s*=\s*([^;]+)/i.exec(header);
  const name = (plain?.[1] ?? plain?.[2])?.trim();
  return name || fallback;
}
