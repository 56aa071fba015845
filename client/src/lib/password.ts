/**
 * The server's strength rule for a new password, imported from the server's
 * domain (server/domain/auth/password-rule.ts, no copy here) so the form can
 * say what is wrong before sending: 8 to 128 characters, a letter and a digit,
 * not containing the username, not the current password. The server checks
 * the same function again and stays the judge.
 */
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem, type PasswordProblem } from '../../../server/domain/auth/password-rule';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordProblem };

/** The first problem of a new password, or null when the server will accept it. */
export const newPasswordProblem: typeof passwordProblem = passwordProblem;
