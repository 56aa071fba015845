import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption of small secrets at rest (the TOTP secrets): AES-256-GCM with a
 * key derived by HKDF-SHA256 from the configured key material and a purpose,
 * so one configured key never serves two uses. A sealed value reads
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); tampering or another key makes
 * `open` throw.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

const VERSION = 'v1';

/** A sealed value the configured key cannot open: the key changed since it was sealed. */
export class SecretBoxKeyError extends Error {}

export function createSecretBox(keyMaterial: string, purpose: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', keyMaterial, 'zz-admissions', purpose, 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    open(sealed) {
      const [version, iv, tag, ciphertext] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error('secret-box: not a sealed value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch (cause) {
        // Most likely the key changed (TOTP_ENCRYPTION_KEY, or JWT_SECRET it is derived from).
        throw new SecretBoxKeyError('secret-box: cannot open the value with the configured key', { cause });
      }
    },
  };
}
