import { describe, expect, it } from 'vitest';
import { pickLanguage } from './lang';

describe('pickLanguage', () => {
  it('defaults to zh-CN', () => {
    expect(pickLanguage(undefined, undefined)).toBe('zh-CN');
    expect(pickLanguage(undefined, 'fr-FR,de;q=0.5')).toBe('zh-CN');
  });

  it('lets ?lang= win over the header', () => {
    expect(pickLanguage('en', 'zh-CN')).toBe('en');
    expect(pickLanguage('zh', 'en-US')).toBe('zh-CN');
    expect(pickLanguage('xx', 'en-US')).toBe('en');
    expect(pickLanguage(['en'], 'zh')).toBe('zh-CN');
  });

  it('follows the q-values of Accept-Language', () => {
    expect(pickLanguage(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(pickLanguage(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLanguage(undefined, 'zh;q=0.5, en;q=0.8')).toBe('en');
    expect(pickLanguage(undefined, 'fr, en;q=0.3')).toBe('en');
    expect(pickLanguage(undefined, 'en;q=0, zh-TW')).toBe('zh-CN');
  });
});
