import { describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS, IMPORT_KINDS, resolveHeader } from './columns';

const normalized = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

describe('import columns', () => {
  it.each(IMPORT_KINDS)('%s: no two columns share a key, a Chinese name or an English name', (kind) => {
    const specs = IMPORT_COLUMNS[kind];
    for (const alias of ['key', 'zh', 'en'] as const) {
      const names = specs.map((c) => (alias === 'key' ? c[alias] : normalized(c[alias])));
      expect(new Set(names).size, `${kind} ${alias}: ${names.join(', ')}`).toBe(names.length);
    }
    // Across kinds of alias too: a Chinese name of one column is never the English name of another.
    const zh = new Map(specs.map((c) => [normalized(c.zh), c.key]));
    for (const c of specs) expect(zh.get(normalized(c.en)) ?? c.key).toBe(c.key);
  });

  it.each(IMPORT_KINDS)('%s: every alias of a column resolves to that column, and only to it', (kind) => {
    for (const c of IMPORT_COLUMNS[kind]) {
      expect(resolveHeader(kind, c.key)?.key).toBe(c.key);
      expect(resolveHeader(kind, c.zh)?.key).toBe(c.key);
      expect(resolveHeader(kind, ` ${c.zh.toUpperCase()} `)?.key).toBe(c.key);
      // A field key that is also another column's English name in other case is taken as the key, exactly as written.
      if (normalized(c.en) !== normalized(c.key) && !IMPORT_COLUMNS[kind].some((o) => o !== c && o.key === c.en)) expect(resolveHeader(kind, c.en)?.key).toBe(c.key);
    }
  });

  it('history (学籍变动记录 by its key) and History (the 历史 subject by its English name) are two columns', () => {
    expect(resolveHeader('students', 'history')?.zh).toBe('学籍变动记录');
    expect(resolveHeader('students', 'Enrollment history')?.zh).toBe('学籍变动记录');
    expect(resolveHeader('students', 'History')?.zh).toBe('历史');
    expect(resolveHeader('students', 'HISTORY')?.zh).toBe('历史');
    expect(resolveHeader('students', 'score.history')?.zh).toBe('历史');
    expect(resolveHeader('students', '历史')?.key).toBe('score.history');
    expect(resolveHeader('high-schools', '名额权重（%）')).toBeUndefined();
    expect(resolveHeader('junior-schools', '名额权重（%）')?.key).toBe('weightPercent');
  });
});
