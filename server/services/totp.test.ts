import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box';
import { isFreshTotpStep, matchTotp, newTotpSecret, normalizeTotpCode, totpStep, totpUri, openTotpSecret } from './totp';

/** The SHA-1 key of RFC 6238 Appendix B ("12345678901234567890"), in base32. */
const RFC_SECRET = Secret.fromLatin1('12345678901234567890').base32;

/** RFC 6238 Appendix B test vectors (SHA-1), last 6 of the 8 digits. */
const RFC_VECTORS: [unixSeconds: number, code: string][] = [
  [59, '287082'],
  [1_111_111_109, '081804'],
  [1_111_111_111, '050471'],
  [1_234_567_890, '005924'],
  [2_000_000_000, '279037'],
  [20_000_000_000, '353130'],
];

const at = (unixSeconds: number) => new Date(unixSeconds * 1000);

/** The code an authenticator app shows at `time` (the library, as a phone would compute it). */
function codeAt(secret: string, time: Date): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: time.getTime() });
}

describe('matchTotp', () => {
  it.each(RFC_VECTORS)('accepts the RFC 6238 code at %i s and returns its step', (seconds, code) => {
    expect(matchTotp({ secret: RFC_SECRET, code, at: at(seconds) })).toBe(Math.floor(seconds / 30));
  });

  it('accepts the code of the step before and after (clock drift), not two steps away', () => {
    const now = new Date('2026-06-20T08:00:10Z');
    const step = totpStep(now);
    const secret = newTotpSecret();
    expect(matchTotp({ secret, code: codeAt(secret, new Date(now.getTime() - 30_000)), at: now })).toBe(step - 1);
    expect(matchTotp({ secret, code: codeAt(secret, new Date(now.getTime() + 30_000)), at: now })).toBe(step + 1);
    expect(matchTotp({ secret, code: codeAt(secret, new Date(now.getTime() - 60_000)), at: now })).toBeNull();
    expect(matchTotp({ secret, code: codeAt(secret, new Date(now.getTime() + 60_000)), at: now })).toBeNull();
  });

  it('refuses a wrong code, another secret\'s code and anything not 6 digits', () => {
    const now = at(1_234_567_890);
    expect(matchTotp({ secret: RFC_SECRET, code: '005925', at: now })).toBeNull();
    expect(matchTotp({ secret: newTotpSecret(), code: '005924', at: now })).toBeNull();
    for (const code of ['', '05924', '0059240', 'abcdef', '00592a', '89005924']) {
      expect(matchTotp({ secret: RFC_SECRET, code, at: now }), code).toBeNull();
    }
  });

  it('ignores the spaces apps show in a code', () => {
    expect(normalizeTotpCode(' 005 924 ')).toBe('005924');
    expect(matchTotp({ secret: RFC_SECRET, code: '005 924', at: at(1_234_567_890) })).toBe(Math.floor(1_234_567_890 / 30));
  });
});

describe('isFreshTotpStep', () => {
  it('accepts only a step later than the last one accepted', () => {
    expect(isFreshTotpStep(100, null)).toBe(true);
    expect(isFreshTotpStep(101, 100)).toBe(true);
    expect(isFreshTotpStep(100, 100)).toBe(false);
    expect(isFreshTotpStep(99, 100)).toBe(false);
  });
});

describe('secrets and URIs', () => {
  it('makes 160-bit base32 secrets, different each time', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(a);
  });

  it('writes an otpauth:// URI authenticator apps read: SHA1, 6 digits, 30 s', () => {
    const uri = new URL(totpUri({ secret: RFC_SECRET, account: 'bureau' }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/株洲中招:bureau');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      issuer: '株洲中招',
      secret: RFC_SECRET,
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});

describe('openTotpSecret', () => {
  it('opens a secret sealed under the configured key, and answers 503 TOTP_UNAVAILABLE when the key changed', () => {
    const sealed = createSecretBox('the-key-at-enrollment-0123456789abcdef', 'totp').seal('JBSWY3DPEHPK3PXP');
    expect(openTotpSecret(createSecretBox('the-key-at-enrollment-0123456789abcdef', 'totp'), sealed)).toBe('JBSWY3DPEHPK3PXP');
    const changed = createSecretBox('another-key-after-a-rotation-0123456789', 'totp');
    expect(() => openTotpSecret(changed, sealed)).toThrow(expect.objectContaining({ code: 'TOTP_UNAVAILABLE', status: 503 }));
  });
});
