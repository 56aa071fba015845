import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charScore, decodeText, implausibleChar, plausibility } from './decode';

/** Character -> GBK bytes, from the platform's GBK decoder run over every two-byte code. */
const GBK = (() => {
  const map = new Map<string, number[]>();
  const decoder = new TextDecoder('gbk');
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== '\ufffd' && !map.has(ch)) map.set(ch, [lead, trail]);
    }
  return map;
})();

function gbk(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else out.push(...GBK.get(ch)!);
  }
  return new Uint8Array(out);
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const isValidUtf8 = (bytes: Uint8Array) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** GB2312 hanzi by level (cells 0xB0A1-0xF7FE), leaving out the five unassigned cells at the end of level 1. */
function gb2312(level: 1 | 2): string[] {
  const out: string[] = [];
  const decoder = new TextDecoder('gbk');
  for (let lead = level === 1 ? 0xb0 : 0xd8; lead <= (level === 1 ? 0xd7 : 0xf7); lead++)
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      if (lead === 0xd7 && trail >= 0xfa) continue;
      out.push(decoder.decode(new Uint8Array([lead, trail])));
    }
  return out;
}

describe('decodeText', () => {
  it('reads GBK names whose bytes are also valid UTF-8 as GBK, whatever the header language', () => {
    for (const name of ['郑然', '郑伟']) {
      // The property that broke the old reader: the GBK bytes are valid UTF-8 (of other scripts).
      expect(isValidUtf8(gbk(name))).toBe(true);
      expect(new TextDecoder().decode(gbk(name))).not.toBe(name);
      for (const header of ['examNo,name', 'Exam number,Name', '准考证号,姓名']) {
        const decoded = decodeText(gbk(`${header}\r\nFX1,${name}\r\n`));
        expect(decoded.encoding).toBe('gb18030');
        expect(decoded.text).toBe(`${header}\r\nFX1,${name}\r\n`);
      }
    }
  });

  it('reads UTF-8 with and without BOM, UTF-16 LE and BE with BOM, and UTF-16 without BOM by its NUL bytes', () => {
    const text = '准考证号\t姓名\r\nFX1\t郑然\r\n';
    expect(decodeText(utf8(text))).toEqual({ text, encoding: 'utf-8', by: 'plausibility' });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]))).toEqual({ text, encoding: 'utf-8', by: 'bom' });
    const le = new Uint8Array(Buffer.from(text, 'utf16le'));
    expect(decodeText(new Uint8Array([0xff, 0xfe, ...le]))).toEqual({ text, encoding: 'utf-16le', by: 'bom' });
    const be = new Uint8Array(le.length);
    for (let i = 0; i < le.length; i += 2) (be[i] = le[i + 1]), (be[i + 1] = le[i]);
    expect(decodeText(new Uint8Array([0xfe, 0xff, ...be]))).toEqual({ text, encoding: 'utf-16be', by: 'bom' });
    expect(decodeText(le)).toEqual({ text, encoding: 'utf-16le', by: 'nul-pattern' });
    expect(decodeText(be)).toEqual({ text, encoding: 'utf-16be', by: 'nul-pattern' });
  });

  it('keeps a UTF-8 file with one stray byte as UTF-8, the stray byte a U+FFFD that implausibleChar finds', () => {
    const rows = ['准考证号,姓名', 'FX1,刘洋', 'FX2,陈静', 'FX3,赵敏', 'FX4,钱多多'].join('\n');
    const bytes = utf8(rows);
    const at = rows.indexOf('赵敏') + 2;
    const byteAt = utf8(rows.slice(0, at)).length;
    const broken = new Uint8Array([...bytes.slice(0, byteAt), 0xb6, ...bytes.slice(byteAt)]);
    const decoded = decodeText(broken);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.text).toContain('赵敏\ufffd');
    expect(implausibleChar('赵敏\ufffd')).toBe('\ufffd');
  });

  it('tells GBK from UTF-8 for random names of GB2312 characters, one to five rows, English headers (property)', () => {
    const level1 = gb2312(1);
    const level2 = gb2312(2);
    const hanzi = fc.oneof({ arbitrary: fc.constantFrom(...level1), weight: 9 }, { arbitrary: fc.constantFrom(...level2), weight: 1 });
    const name = fc.array(hanzi, { minLength: 2, maxLength: 3 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 5 }), (names) => {
        const text = `examNo,name\r\n${names.map((n, i) => `FX${i},${n}`).join('\r\n')}\r\n`;
        expect(decodeText(gbk(text))).toMatchObject({ text, encoding: 'gb18030' });
        expect(decodeText(utf8(text))).toMatchObject({ text, encoding: 'utf-8' });
      }),
      { numRuns: 500 },
    );
  });

  it('reads pure ASCII as UTF-8', () => {
    expect(decodeText(utf8('a,b\n1,2\n')).encoding).toBe('utf-8');
  });
});

describe('plausibility of text', () => {
  it('scores common hanzi up, rare hanzi neutral, other scripts, controls and U+FFFD down', () => {
    expect(charScore('郑'.codePointAt(0)!)).toBe(2);
    expect(charScore('堃'.codePointAt(0)!)).toBe(0);
    expect(charScore('·'.codePointAt(0)!)).toBe(1);
    expect(charScore(0x05a3)).toBeLessThan(0); // Hebrew accent: GBK 郑 read as UTF-8
    expect(charScore(0xfffd)).toBeLessThan(0);
    expect(charScore(0x01)).toBeLessThan(0);
    expect(plausibility('郑然')).toBeGreaterThan(plausibility(new TextDecoder().decode(gbk('郑然'))));
  });

  it('accepts names as people write them and refuses garbled ones', () => {
    for (const ok of ['郑然', '阿卜杜·买买提', '王喆', 'Zhèng Rán', 'Lü Wei', '（借读）张三', '𠮷野', '阿卜杜・买买提', '张\u00a0三']) expect(implausibleChar(ok)).toBeNull();
    for (const bad of [new TextDecoder().decode(gbk('郑然')), '赵敏\ufffd', 'a\u0007b', '\ue000']) expect(implausibleChar(bad)).not.toBeNull();
  });
});
