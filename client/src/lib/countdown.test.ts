import { describe, expect, it } from 'vitest';
import { formatCountdown } from './countdown';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('formatCountdown', () => {
  it('shows days, hours, minutes and seconds in Chinese', () => {
    expect(formatCountdown(2 * DAY + 3 * HOUR + 5 * MINUTE + 9 * SECOND, 'zh-CN')).toBe('2天 03小时 05分 09秒');
  });
  it('shows the same in English', () => {
    expect(formatCountdown(2 * DAY + 3 * HOUR + 5 * MINUTE + 9 * SECOND, 'en')).toBe('2d 03h 05m 09s');
  });
  it('leaves out leading zero units but keeps inner zeros', () => {
    expect(formatCountdown(5 * MINUTE + 9 * SECOND, 'zh-CN')).toBe('5分 09秒');
    expect(formatCountdown(9 * SECOND, 'en')).toBe('9s');
    expect(formatCountdown(DAY, 'en')).toBe('1d 00h 00m 00s');
    expect(formatCountdown(HOUR + 7 * SECOND, 'zh-CN')).toBe('1小时 00分 07秒');
  });
  it('drops the part of a second left', () => {
    expect(formatCountdown(1999, 'en')).toBe('1s');
    expect(formatCountdown(999, 'en')).toBe('0s');
  });
  it('reads zero once the deadline has passed', () => {
    expect(formatCountdown(0, 'zh-CN')).toBe('0秒');
    expect(formatCountdown(-5 * MINUTE, 'zh-CN')).toBe('0秒');
    expect(formatCountdown(Number.NaN, 'en')).toBe('0s');
  });
  it('treats every Chinese tag as Chinese and anything else as English', () => {
    expect(formatCountdown(MINUTE, 'zh')).toBe('1分 00秒');
    expect(formatCountdown(MINUTE, 'zh-Hans-CN')).toBe('1分 00秒');
    expect(formatCountdown(MINUTE, 'fr')).toBe('1m 00s');
  });
  it('counts long spans in days', () => {
    expect(formatCountdown(120 * DAY, 'en')).toBe('120d 00h 00m 00s');
  });
});
