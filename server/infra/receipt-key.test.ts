import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvError } from '../env';
import { defaultReceiptKeyFile, loadReceiptKeys } from './receipt-key';

const dir = mkdtempSync(path.join(os.tmpdir(), 'zz-receipt-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ed25519Pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('loadReceiptKeys', () => {
  it('takes the PEM text, also with literal \\n as one-line env files write it', () => {
    const pem = ed25519Pem();
    const keys = loadReceiptKeys({ NODE_ENV: 'production', RECEIPT_SIGNING_KEY: pem });
    expect(keys.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(keys.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(loadReceiptKeys({ NODE_ENV: 'production', RECEIPT_SIGNING_KEY: pem.trim().replace(/\n/g, '\\n') }).keyId).toBe(keys.keyId);
  });

  it('reads the path of a PEM file', () => {
    const pem = ed25519Pem();
    const file = path.join(dir, 'given.pem');
    writeFileSync(file, pem);
    expect(loadReceiptKeys({ NODE_ENV: 'production', RECEIPT_SIGNING_KEY: file }).keyId).toBe(loadReceiptKeys({ NODE_ENV: 'production', RECEIPT_SIGNING_KEY: pem }).keyId);
  });

  it('refuses, naming the variable: unset in production, an unreadable file, not a key, not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ NODE_ENV: 'production' }, /RECEIPT_SIGNING_KEY: must be set when NODE_ENV=production.*openssl genpkey -algorithm ed25519/],
      [{ NODE_ENV: 'production', RECEIPT_SIGNING_KEY: path.join(dir, 'missing.pem') }, /RECEIPT_SIGNING_KEY: cannot read the key file .*missing\.pem \(ENOENT\)/],
      [{ NODE_ENV: 'production', RECEIPT_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----' }, /RECEIPT_SIGNING_KEY: the PEM text given is not a PEM private key/],
      [{ NODE_ENV: 'development', RECEIPT_SIGNING_KEY: rsa }, /RECEIPT_SIGNING_KEY: the PEM text given is a rsa key; receipts need Ed25519/],
    ];
    for (const [env, message] of cases) {
      let caught: unknown;
      try {
        loadReceiptKeys(env as Parameters<typeof loadReceiptKeys>[0]);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(EnvError);
      expect((caught as Error).message).toMatch(message);
    }
  });

  it('outside production, generates the key file once and keeps it: every process and restart signs with the same key', () => {
    const file = path.join(dir, 'nested', 'receipt-signing-key.pem');
    const first = loadReceiptKeys({ NODE_ENV: 'development' }, { devKeyFile: file });
    const second = loadReceiptKeys({ NODE_ENV: 'development' }, { devKeyFile: file });
    expect(second.keyId).toBe(first.keyId);
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('keeps the tests\' generated key apart from the data of npm start', () => {
    expect(defaultReceiptKeyFile('development')).toMatch(/[/]\.data[/]receipt-signing-key\.pem$/);
    expect(defaultReceiptKeyFile('test')).toMatch(/[/]\.test-data[/]receipt-signing-key\.pem$/);
  });
});
