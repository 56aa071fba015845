import { Secret, TOTP } from 'otpauth';
import { AppError } from '../errors';
import { SecretBoxKeyError, type SecretBox } from './secret-box';

/**
 * Time-based one-time passwords (RFC 6238) for two-factor sign-in of bureau
 * accounts, through the `otpauth` library: 30-second steps, 6 digits, SHA-1,
 * which is what every authenticator app assumes from an otpauth:// URI.
 * Pure, given the time.
 */
export const TOTP_PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

/** Codes of one step before or after the current one are accepted too (a phone's clock drifts). */
export const TOTP_WINDOW = 1;

/** The name authenticator apps show above the account. */
export const TOTP_ISSUER = '株洲中招';

/** A new random secret (160 bits, RFC 4226's recommendation), in base32 as apps expect it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads (from a QR code or a link) to add the account. */
export function totpUri(props: { secret: string; account: string; issuer?: string }): string {
  return new TOTP({
    ...TOTP_PARAMS,
    issuer: props.issuer ?? TOTP_ISSUER,
    label: props.account,
    secret: Secret.fromBase32(props.secret),
  }).toString();
}

/** The time step of an instant: whole periods since the Unix epoch. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PARAMS.period);
}

/** What a user typed, without the spaces apps show in the middle of a code. */
export function normalizeTotpCode(code: string): string {
  return code.replace(/\s+/g, '');
}

/**
 * The time step `code` belongs to, if it is the code of a step within
 * `TOTP_WINDOW` of `at`; null for any other code (or anything not 6 digits).
 */
export function matchTotp(props: { secret: string; code: string; at: Date }): number | null {
  const code = normalizeTotpCode(props.code);
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({
    ...TOTP_PARAMS,
    token: code,
    secret: Secret.fromBase32(props.secret),
    timestamp: props.at.getTime(),
    window: TOTP_WINDOW,
  });
  return delta === null ? null : totpStep(props.at) + delta;
}

/**
 * Replay rule: a code is accepted only for a step later than the last one
 * accepted, so a code seen over someone's shoulder cannot be used again
 * within its window.
 */
export function isFreshTotpStep(step: number, lastAcceptedStep: number | null): boolean {
  return lastAcceptedStep === null || step > lastAcceptedStep;
}

/**
 * The TOTP secret of an account, unsealed. A secret sealed under another key
 * (TOTP_ENCRYPTION_KEY, or the JWT_SECRET it defaults to, was changed) is a
 * server fault, not the user's: 503 TOTP_UNAVAILABLE, logged.
 */
export function openTotpSecret(box: SecretBox, sealed: string): string {
  try {
    return box.open(sealed);
  } catch (error) {
    if (error instanceof SecretBoxKeyError) throw new AppError('TOTP_UNAVAILABLE', { cause: error });
    throw error;
  }
}
