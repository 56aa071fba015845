export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem =
  | 'too_short'
  | 'too_long'
  | 'needs_letter_and_digit'
  | 'contains_username'
  | 'same_as_current';

/**
 * The server's strength rule for a new password (server/domain/auth/auth.rules.ts),
 * checked again here only so the form can say what is wrong before sending:
 * 8 to 128 characters, a letter and a digit, not containing the username,
 * not the current password. The server stays the judge.
 */
export function newPasswordProblem(
  newPassword: string,
  context: { username: string; currentPassword?: string },
): PasswordProblem | null {
  if (newPassword.length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (newPassword.length > PASSWORD_MAX_LENGTH) return 'too_long';
  if (!/\p{L}/u.test(newPassword) || !/\p{Nd}/u.test(newPassword)) return 'needs_letter_and_digit';
  const username = context.username.trim().toLowerCase();
  if (username.length >= 3 && newPassword.toLowerCase().includes(username)) return 'contains_username';
  if (context.currentPassword !== undefined && newPassword === context.currentPassword) return 'same_as_current';
  return null;
}
