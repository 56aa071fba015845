import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_CODE_ALPHABET,
  activationCodeExpiry,
  activationCodeMatches,
  hashActivationCode,
  newActivationCode,
  newActivationCodes,
  normalizeActivationCode,
} from './account-codes';

describe('activation codes', () => {
  it('are 10 characters of the unambiguous alphabet, shown as XXXXX-XXXXX', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = newActivationCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
      seen.add(code);
    }
    expect(seen.size).toBe(2000);
    expect(ACTIVATION_CODE_ALPHABET).toHaveLength(32);
  });

  it('come in batches from one draw of random bytes, all different', () => {
    const codes = newActivationCodes(5000);
    expect(codes).toHaveLength(5000);
    expect(new Set(codes).size).toBe(5000);
    for (const code of codes) expect(normalizeActivationCode(code)).not.toBeNull();
    const draws: number[] = [];
    newActivationCodes(3, (n) => (draws.push(n), Buffer.alloc(n, 1)));
    expect(draws).toEqual([30]);
  });

  it('use every bit of randomness: all-zero and all-one bytes give the extreme codes', () => {
    expect(newActivationCode((n) => Buffer.alloc(n, 0))).toBe('00000-00000');
    expect(newActivationCode((n) => Buffer.alloc(n, 0xff))).toBe('ZZZZZ-ZZZZZ');
  });

  it('are read back case-insensitively, without dashes and spaces, with look-alikes mapped', () => {
    expect(normalizeActivationCode(' ab1cd-efgh2 ')).toBe('AB1CDEFGH2');
    expect(normalizeActivationCode('ab1cd efgh2')).toBe('AB1CDEFGH2');
    expect(normalizeActivationCode('oilcd-efgh2')).toBe('011CDEFGH2');
    expect(normalizeActivationCode('AB1CD-EFGH')).toBeNull();
    expect(normalizeActivationCode('AB1CD-EFGHU')).toBeNull();
    expect(normalizeActivationCode('AB1CD-EFG!2')).toBeNull();
    expect(hashActivationCode('ab1cd efgh2')).toBe(hashActivationCode('AB1CD-EFGH2'));
    expect(hashActivationCode('AB1CD-EFGH2')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('match only the stored hash, before expiry', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const stored = { codeHash: hashActivationCode('AB1CD-EFGH2'), expiresAt: activationCodeExpiry(now) };
    expect(stored.expiresAt.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(activationCodeMatches(stored, 'ab1cdefgh2', now)).toBe(true);
    expect(activationCodeMatches(stored, 'AB1CD-EFGH3', now)).toBe(false);
    expect(activationCodeMatches(stored, 'nonsense', now)).toBe(false);
    expect(activationCodeMatches(null, 'AB1CD-EFGH2', now)).toBe(false);
    expect(activationCodeMatches(stored, 'AB1CD-EFGH2', stored.expiresAt)).toBe(false);
  });
});
