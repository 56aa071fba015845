import ExcelJS from 'exceljs';

/**
 * Printable account slips (账号条): an .xlsx laid out for A4 paper, two slips
 * across and five down per page, each in a dashed frame to cut along, with
 * the name, username, activation code, its expiry and where to activate (sign in).
 */

export interface SlipEntry {
  username: string;
  displayName: string;
  code: string;
  expiresAt: Date;
}

const SLIPS_ACROSS = 2;
const BANDS_PER_PAGE = 5;
/** Rows of one slip: title, name, username, code, expiry, address, note. */
const SLIP_ROWS = 7;
/** A blank row between bands of slips. */
const BAND_ROWS = SLIP_ROWS + 1;
/** Per slip: a label column, a value column and a gutter. */
const COLUMNS_PER_SLIP = 3;

/** A time as people in Zhuzhou read it: 2026-07-01 18:00 (China Standard Time). */
export function chinaTime(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** The workbook of slips for `entries`, in their order. `signInUrl` (the activation page) is printed on each. */
export async function activationSlipsWorkbook(entries: readonly SlipEntry[], options: { signInUrl: string; title?: string }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '株洲市高中阶段学校招生平台';
  const sheet = workbook.addWorksheet('账号条', {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.2, footer: 0.2 },
    },
  });
  sheet.columns = Array.from({ length: SLIPS_ACROSS * COLUMNS_PER_SLIP }, (_, i) => ({ width: [12, 30, 3][i % COLUMNS_PER_SLIP] }));

  const title = options.title ?? '株洲市高中阶段学校招生平台 · 账号激活单';
  const dashed = { style: 'dashed' as const, color: { argb: 'FF808080' } };

  entries.forEach((entry, index) => {
    const band = Math.floor(index / SLIPS_ACROSS);
    const top = band * BAND_ROWS + 1;
    const left = (index % SLIPS_ACROSS) * COLUMNS_PER_SLIP + 1;
    const lines: [string, string][] = [
      ['姓名/名称', entry.displayName],
      ['用户名', entry.username],
      ['激活码', entry.code],
      ['有效期至', `${chinaTime(entry.expiresAt)}（北京时间）`],
      ['激活网址', options.signInUrl],
    ];

    sheet.mergeCells(top, left, top, left + 1);
    const head = sheet.getCell(top, left);
    head.value = title;
    head.font = { bold: true, size: 12 };
    head.alignment = { horizontal: 'center', vertical: 'middle' };
    lines.forEach(([label, value], i) => {
      const row = top + 1 + i;
      const labelCell = sheet.getCell(row, left);
      labelCell.value = label;
      labelCell.font = { color: { argb: 'FF555555' } };
      const valueCell = sheet.getCell(row, left + 1);
      valueCell.value = value;
      valueCell.alignment = { vertical: 'middle', shrinkToFit: true };
      if (label === '激活码') valueCell.font = { name: 'Consolas', bold: true, size: 16 };
      if (label === '用户名') valueCell.font = { name: 'Consolas', bold: true, size: 12 };
    });
    const noteRow = top + SLIP_ROWS - 1;
    sheet.mergeCells(noteRow, left, noteRow, left + 1);
    const note = sheet.getCell(noteRow, left);
    note.value = '首次登录或忘记密码：打开上面的激活网址，输入用户名和激活码并设置新密码，之后用新密码登录。激活码只能使用一次，请妥善保管，勿告诉他人。';
    note.font = { size: 9, color: { argb: 'FF555555' } };
    note.alignment = { wrapText: true, vertical: 'top' };
    sheet.getRow(noteRow).height = 30;

    // The dashed frame to cut along.
    for (let r = top; r < top + SLIP_ROWS; r++) {
      for (let c = left; c <= left + 1; c++) {
        const cell = sheet.getCell(r, c);
        cell.border = {
          ...(r === top ? { top: dashed } : {}),
          ...(r === top + SLIP_ROWS - 1 ? { bottom: dashed } : {}),
          ...(c === left ? { left: dashed } : {}),
          ...(c === left + 1 ? { right: dashed } : {}),
        };
      }
    }
    if (index % SLIPS_ACROSS === 0) {
      sheet.getRow(top + 3).height = 24;
      // Page break after every BANDS_PER_PAGE bands, so no slip is split across pages.
      if ((band + 1) % BANDS_PER_PAGE === 0) sheet.getRow(top + BAND_ROWS - 1).addPageBreak();
    }
  });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
