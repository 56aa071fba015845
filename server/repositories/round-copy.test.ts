import { describe, expect, it } from 'vitest';
import { copyField } from './round-copy';

/** PostgreSQL's COPY text-format decoding of one field (the escapes copyField produces). */
function decode(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c));
}

describe('COPY text fields of assignment rows', () => {
  it('writes null as \\N and leaves plain text alone', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField('H01')).toBe('H01');
    expect(copyField('{"school":"株洲市第二中学","reason":"cutoff"}')).toBe('{"school":"株洲市第二中学","reason":"cutoff"}');
  });

  it('escapes backslash, tab, newline and carriage return so that no field splits a row', () => {
    const tricky = ['a\\b', 'tab\there', 'line\nbreak', 'cr\rhere', '\\N', 'all\\\t\n\r', JSON.stringify({ note: 'quote " and \\ backslash' })];
    for (const value of tricky) {
      const field = copyField(value);
      expect(field).not.toMatch(/[\t\n\r]/);
      expect(decode(field)).toBe(value);
    }
    // The literal text "\N" is not null.
    expect(copyField('\\N')).toBe('\\\\N');
  });
});
