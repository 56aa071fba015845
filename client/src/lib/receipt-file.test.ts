import { describe, expect, it } from 'vitest';
import { parseReceiptText, receiptFileName, receiptFileText } from './receipt-file';

const receipt = {
  payload: { format: 'zz-admissions/receipt@1', student: { id: 's1', examNo: '2030010001' }, kind: 'main', version: 3, choices: [{ batch: 1, schools: ['H01'] }] },
  signature: 'c2lnbmF0dXJl',
};

describe('receipt files', () => {
  it('names the file after the exam number, kind and version', () => {
    expect(receiptFileName(receipt)).toBe('回执-2030010001-v3.json');
    expect(receiptFileName({ ...receipt, payload: { ...receipt.payload, kind: 'supplementary' } })).toBe('回执-补录-2030010001-v3.json');
    expect(receiptFileName({ payload: { student: { examNo: '../x y' }, version: 1 }, signature: '' })).toBe('回执-_x_y-v1.json');
  });

  it('writes indented JSON that reads back to the same receipt', () => {
    const text = receiptFileText(receipt);
    expect(text).toContain('\n  "payload": {');
    expect(parseReceiptText(text)).toEqual({ ok: true, receipt });
  });

  it('reads a paste with a BOM and blanks, or the whole answer of a save', () => {
    expect(parseReceiptText(`\uFEFF  ${JSON.stringify(receipt)}\n`)).toEqual({ ok: true, receipt });
    expect(parseReceiptText(JSON.stringify({ version: 3, receipt }))).toEqual({ ok: true, receipt });
  });

  it('says what is wrong with anything else', () => {
    expect(parseReceiptText('  ')).toEqual({ ok: false, problem: 'empty' });
    expect(parseReceiptText('{"payload":')).toEqual({ ok: false, problem: 'notJson' });
    expect(parseReceiptText('[1, 2]')).toEqual({ ok: false, problem: 'notReceipt' });
    expect(parseReceiptText(JSON.stringify({ payload: receipt.payload }))).toEqual({ ok: false, problem: 'notReceipt' });
  });
});
