import { describe, expect, it } from 'vitest';
import {
  activationFormProblems,
  filenameFromDisposition,
  normalizeActivationCode,
  parseUsernames,
  pathAfterActivation,
} from './activation';

describe('normalizeActivationCode', () => {
  it('drops the spaces and dashes a slip or a phone keyboard adds', () => {
    expect(normalizeActivationCode(' K7PD-3QXM ')).toBe('K7PD3QXM');
    expect(normalizeActivationCode('K7PD 3QXM\n')).toBe('K7PD3QXM');
    expect(normalizeActivationCode('K7PD－3QXM')).toBe('K7PD3QXM');
  });
  it('keeps the case: the server decides whether it matters', () => {
    expect(normalizeActivationCode('k7pd3qxm')).toBe('k7pd3qxm');
  });
  it('leaves nothing of a blank code', () => {
    expect(normalizeActivationCode(' - ')).toBe('');
  });
});

describe('parseUsernames', () => {
  it('splits a pasted list on lines, commas, 顿号 and spaces, dropping blanks and repeats', () => {
    expect(parseUsernames('h01\nh02\r\n\nj0101, j0102，bureau-HT、h01  h03')).toEqual(['h01', 'h02', 'j0101', 'j0102', 'bureau-HT', 'h03']);
  });
  it('gives nothing for blank text', () => {
    expect(parseUsernames(' \n\t ')).toEqual([]);
  });
});

describe('activationFormProblems', () => {
  const good = { username: '2026430201001', code: 'K7PD-3QXM', newPassword: 'zhuzhou88', confirmPassword: 'zhuzhou88' };

  it('accepts a complete form', () => {
    expect(activationFormProblems(good)).toEqual([]);
  });
  it('names every empty field', () => {
    expect(activationFormProblems({ username: ' ', code: ' - ', newPassword: '', confirmPassword: '' })).toEqual([
      { field: 'username', problem: 'required' },
      { field: 'code', problem: 'required' },
      { field: 'newPassword', problem: 'required' },
    ]);
  });
  it("applies the platform's password rule with the username", () => {
    expect(activationFormProblems({ ...good, newPassword: 'short1', confirmPassword: 'short1' })).toEqual([{ field: 'newPassword', problem: 'too_short' }]);
    expect(activationFormProblems({ ...good, newPassword: 'x2026430201001', confirmPassword: 'x2026430201001' })).toEqual([
      { field: 'newPassword', problem: 'contains_username' },
    ]);
  });
  it('asks for the same password twice', () => {
    expect(activationFormProblems({ ...good, confirmPassword: 'zhuzhou89' })).toEqual([{ field: 'confirmPassword', problem: 'mismatch' }]);
  });
});

describe('pathAfterActivation', () => {
  it('takes a student to the choices page and others home', () => {
    expect(pathAfterActivation({ role: 'student' })).toBe('/student/choices');
    expect(pathAfterActivation({ role: 'junior' })).toBe('/junior');
    expect(pathAfterActivation({ role: 'bureau' })).toBe('/bureau');
  });
});

describe('filenameFromDisposition', () => {
  it('reads the UTF-8 name first', () => {
    expect(filenameFromDisposition(`attachment; filename="slips.xlsx"; filename*=UTF-8''${encodeURIComponent('账号条-J0101.xlsx')}`, 'x.xlsx')).toBe(
      '账号条-J0101.xlsx',
    );
  });
  it('falls back to the plain name, then to the default', () => {
    expect(filenameFromDisposition('attachment; filename="slips.xlsx"', 'x.xlsx')).toBe('slips.xlsx');
    expect(filenameFromDisposition('attachment; filename=slips.xlsx', 'x.xlsx')).toBe('slips.xlsx');
    expect(filenameFromDisposition('attachment', 'x.xlsx')).toBe('x.xlsx');
    expect(filenameFromDisposition(null, 'x.xlsx')).toBe('x.xlsx');
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E0%A4%A", 'x.xlsx')).toBe('x.xlsx');
  });
});
