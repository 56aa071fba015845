import { describe, expect, it } from 'vitest';
import { auditRow, auditSnapshot, maskIdNumber } from './audit.service';

describe('auditSnapshot', () => {
  it('keeps plain data and converts dates and bigints', () => {
    expect(auditSnapshot({ capacity: 600, at: new Date('2026-06-20T08:00:00Z'), id: 12n, list: [1, undefined] })).toEqual({
      capacity: 600,
      at: '2026-06-20T08:00:00.000Z',
      id: '12',
      list: [1, null],
    });
  });

  it('drops secrets and masks ID numbers at any depth', () => {
    expect(
      auditSnapshot({
        username: 'b1',
        passwordHash: '$argon2id$...',
        nested: { newPassword: 'x', idCardNo: '430202200901011234' },
      }),
    ).toEqual({ username: 'b1', nested: { idCardNo: '430202********1234' } });
  });

  it('replaces lone UTF-16 surrogates (which jsonb refuses) in keys and values, keeping real pairs', () => {
    expect(auditSnapshot({ note: 'a\ud800b😀', ['k\udc00']: ['\udfff'] })).toEqual({ note: 'a\ufffdb😀', 'k\ufffd': ['\ufffd'] });
  });

  it('gives null for nothing', () => {
    expect(auditSnapshot(undefined)).toBeNull();
    expect(auditSnapshot(null)).toBeNull();
  });
});

describe('maskIdNumber', () => {
  it('keeps only the region prefix and the last four', () => {
    expect(maskIdNumber('43020220090101123X')).toBe('430202********123X');
    expect(maskIdNumber('short')).toBe('*****');
  });
});

describe('auditRow', () => {
  it('fills the columns from an entry', () => {
    const at = new Date('2026-06-20T08:00:00Z');
    expect(
      auditRow({ actor: { id: 'u1', role: 'bureau' }, action: 'auth.login', entity: 'User', entityId: 'u1', requestId: 'r1' }, at),
    ).toEqual({
      at,
      actorId: 'u1',
      actorRole: 'bureau',
      action: 'auth.login',
      entity: 'User',
      entityId: 'u1',
      before: null,
      after: null,
      requestId: 'r1',
    });
    expect(auditRow({ actor: null, action: 'x', entity: 'Y' }, at).actorId).toBeNull();
  });
});
