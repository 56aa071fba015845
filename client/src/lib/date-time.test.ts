import { describe, expect, it } from 'vitest';
import { formatDateTime } from './date-time';

describe('formatDateTime', () => {
  it('prints a moment as toLocaleString does for zh-CN and en-GB, in the local time zone', () => {
    const at = new Date(2026, 5, 22, 9, 5, 7);
    expect(formatDateTime(at, 'zh-CN')).toBe('2026/6/22 09:05:07');
    expect(formatDateTime(at.toISOString(), 'en')).toBe('22/06/2026, 09:05:07');
    expect(formatDateTime(at, 'zh-CN')).toBe(at.toLocaleString('zh-CN', { hour12: false }));
  });

  it('prints nothing for an invalid date', () => {
    expect(formatDateTime('not a date', 'zh-CN')).toBe('');
  });
});
