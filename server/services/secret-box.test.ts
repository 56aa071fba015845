import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box';

const key = 'a-key-of-at-least-thirty-two-characters!';

describe('secret box', () => {
  it('opens what it sealed, and never shows the plain text', () => {
    const box = createSecretBox(key, 'totp-secret');
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    // A fresh IV each time: the same secret never seals the same way twice.
    expect(box.seal('JBSWY3DPEHPK3PXP')).not.toBe(sealed);
  });

  it('refuses a tampered value, another key and another purpose', () => {
    const box = createSecretBox(key, 'totp-secret');
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([parts[0], parts[1], parts[2], flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => createSecretBox(`${key}-other`, 'totp-secret').open(sealed)).toThrow();
    expect(() => createSecretBox(key, 'another-use').open(sealed)).toThrow();
    expect(() => box.open('JBSWY3DPEHPK3PXP')).toThrow();
  });
});
