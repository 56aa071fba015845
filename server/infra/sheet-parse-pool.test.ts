import { afterAll, describe, expect, it } from 'vitest';
import { UnreadableFileError } from './read-file';
import { createSheetParsePool } from './sheet-parse-pool';

describe('sheet parse pool (worker threads)', () => {
  const pool = createSheetParsePool({ size: 1 });
  afterAll(() => pool.close());

  it('reads a file in a worker thread, and withholds a sheet above the row limit', async () => {
    const csv = Buffer.from('准考证号,姓名\nFX1,郑然\n,\nFX2,郑伟\n');
    const parsed = await pool.parse(csv);
    expect(parsed.dataRows).toBe(2);
    expect(parsed.sheet?.rows.map((r) => r.cells[1])).toEqual(['郑然', '', '郑伟']);
    expect(await pool.parse(csv, { rowLimit: 1 })).toEqual({ dataRows: 2 });
    // The caller's bytes stay usable (the worker got a copy).
    expect(csv.toString()).toContain('郑然');
  });

  it('refuses an unreadable file with the reader\'s reason, and keeps working after it', async () => {
    const error = await pool.parse(Buffer.from('PK\x03\x04 not really a zip')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as UnreadableFileError).reason.zh).toContain('已损坏');
    expect((await pool.parse(Buffer.from('a,b\n1,2\n'))).dataRows).toBe(1);
  });

  it('keeps the event loop free while it reads a big file', async () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => `FX${i},考生${i},430202200901010018,男,2009-01-01,J0101,2022-09-01,,50,50,50,50,50,50,50,50,,A,`);
    const big = Buffer.from(['准考证号,姓名,身份证号,性别,出生日期,初中学校代码,学籍起始日期,学籍变动记录,语文,数学,英语,物理,化学,道德与法治,历史,体育,总分,综合素质评价,指标生资格', ...rows].join('\n'));
    let ticks = 0;
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    const parsed = await pool.parse(big, { rowLimit: 2_000 });
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(parsed).toEqual({ dataRows: 150_000 });
    // Parsed on this loop, the timer would not fire at all until the end; off it, it keeps ticking.
    expect(ticks).toBeGreaterThan(elapsed / 5 / 4);
    expect(longest).toBeLessThan(elapsed / 2);
  });
});
