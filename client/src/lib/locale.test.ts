import { describe, expect, it } from 'vitest';
import { resolveLocale } from './locale';

describe('resolveLocale', () => {
  it('defaults to Chinese', () => {
    expect(resolveLocale(null)).toBe('zh-CN');
    expect(resolveLocale(undefined)).toBe('zh-CN');
    expect(resolveLocale('')).toBe('zh-CN');
    expect(resolveLocale('fr-FR')).toBe('zh-CN');
  });
  it('keeps a saved choice', () => {
    expect(resolveLocale('en')).toBe('en');
    expect(resolveLocale('zh-CN')).toBe('zh-CN');
  });
  it('maps variants to the supported locale', () => {
    expect(resolveLocale('en-US')).toBe('en');
    expect(resolveLocale('zh')).toBe('zh-CN');
    expect(resolveLocale('zh-Hans')).toBe('zh-CN');
  });
});
