/**
 * The strength rule for a new password, with no dependency at all: the
 * server enforces it (auth.rules.ts re-exports it) and the browser imports
 * this very file to say what is wrong before sending (client/src/lib/password.ts).
 */

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'too_short' | 'too_long' | 'needs_letter_and_digit' | 'contains_username' | 'same_as_current';

/**
 * Strength rule for a new password: 8 to 128 characters, at least one letter
 * and one digit, not containing the username, different from the current one.
 * Returns the first problem found, or null when the password is acceptable.
 */
export function passwordProblem(newPassword: string, context: { username: string; currentPassword?: string }): PasswordProblem | null {
  if (newPassword.length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (newPassword.length > PASSWORD_MAX_LENGTH) return 'too_long';
  if (!/\p{L}/u.test(newPassword) || !/\p{Nd}/u.test(newPassword)) return 'needs_letter_and_digit';
  const username = context.username.trim().toLowerCase();
  if (username.length >= 3 && newPassword.toLowerCase().includes(username)) return 'contains_username';
  if (context.currentPassword !== undefined && newPassword === context.currentPassword) return 'same_as_current';
  return null;
}
