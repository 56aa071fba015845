import { describe, expect, it } from 'vitest';
import { isIdCardField, looksLikeIdCard, maskIdCard } from './id-card';

describe('maskIdCard', () => {
  it('keeps the first 6 and last 4 of an 18-character ID', () => {
    expect(maskIdCard('430202200901011234')).toBe('430202********1234');
    expect(maskIdCard('43020220090101123X')).toBe('430202********123X');
  });
  it('masks a 15-digit ID the same way', () => {
    expect(maskIdCard('430202090101123')).toBe('430202*****1123');
  });
  it('trims whitespace first', () => {
    expect(maskIdCard('  430202200901011234 ')).toBe('430202********1234');
  });
  it('hides a value too short to mask partially', () => {
    expect(maskIdCard('1234567890')).toBe('**********');
    expect(maskIdCard('12')).toBe('**');
  });
  it('gives an empty string for nothing', () => {
    expect(maskIdCard('')).toBe('');
    expect(maskIdCard(null)).toBe('');
    expect(maskIdCard(undefined)).toBe('');
  });
  it('never shows the hidden middle', () => {
    const id = '430202200901011234';
    expect(maskIdCard(id)).not.toContain('20090101');
    expect(maskIdCard(id)).toHaveLength(id.length);
  });
});

describe('looksLikeIdCard', () => {
  it('recognises 18 and 15 character IDs', () => {
    expect(looksLikeIdCard('430202200901011234')).toBe(true);
    expect(looksLikeIdCard('43020220090101123x')).toBe(true);
    expect(looksLikeIdCard('430202090101123')).toBe(true);
  });
  it('does not mistake other numbers for IDs', () => {
    expect(looksLikeIdCard('2025430201001')).toBe(false);
    expect(looksLikeIdCard(430202200901011234)).toBe(false);
    expect(looksLikeIdCard('abc')).toBe(false);
  });
});

describe('isIdCardField', () => {
  it('recognises ID field names', () => {
    for (const key of ['idCard', 'idCardNumber', 'id_card', 'idNumber', 'identityNo', 'citizenId', '身份证号']) {
      expect(isIdCardField(key)).toBe(true);
    }
  });
  it('leaves ordinary ids alone', () => {
    for (const key of ['id', 'studentId', 'highSchoolId', 'examNumber', 'regionCode']) {
      expect(isIdCardField(key)).toBe(false);
    }
  });
});
