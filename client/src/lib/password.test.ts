import { describe, expect, it } from 'vitest';
import { newPasswordProblem } from './password';

const context = { username: '2025430201001', currentPassword: 'Start2025' };

describe('newPasswordProblem', () => {
  it('accepts 8+ characters with a letter and a digit', () => {
    expect(newPasswordProblem('zhuzhou88', context)).toBeNull();
    expect(newPasswordProblem('株洲一中2025年', context)).toBeNull();
  });
  it('names the first problem', () => {
    expect(newPasswordProblem('ab1', context)).toBe('too_short');
    expect(newPasswordProblem('a1'.repeat(65), context)).toBe('too_long');
    expect(newPasswordProblem('onlyletters', context)).toBe('needs_letter_and_digit');
    expect(newPasswordProblem('1234567890', context)).toBe('needs_letter_and_digit');
    expect(newPasswordProblem('x2025430201001', context)).toBe('contains_username');
    expect(newPasswordProblem('Start2025', context)).toBe('same_as_current');
  });
  it('ignores a username too short to matter', () => {
    expect(newPasswordProblem('ab12345678', { username: 'ab' })).toBeNull();
  });
  it('matches the username whatever the case', () => {
    expect(newPasswordProblem('my-Bureau-2025', { username: 'bureau' })).toBe('contains_username');
  });
});
