import { describe, expect, it } from 'vitest';
import { maskIdNumbersInText } from './redact';

describe('maskIdNumbersInText', () => {
  it('masks 18- and 15-character ID numbers inside Chinese text', () => {
    expect(maskIdNumbersInText('孩子身份证43020220100101123X，旧证430202100101123')).toBe(
      '孩子身份证430202********123X，旧证430202*****1123',
    );
  });

  it('leaves phone numbers, exam numbers and longer digit runs alone', () => {
    const text = '电话 13800138000，准考证 2025430201001，流水 1234567890123456789';
    expect(maskIdNumbersInText(text)).toBe(text);
  });
});
