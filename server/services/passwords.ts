import { hash, verify } from '@node-rs/argon2';

/**
 * Password hashing with argon2id (@node-rs/argon2's default algorithm) at the
 * OWASP baseline: 19 MiB, 2 passes, 1 lane. The parameters are stored in each
 * hash, so raising them later keeps old hashes verifiable.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

import { NO_PASSWORD_HASH } from '../domain/auth/auth.rules';

/** The stored hash of an account with no usable password yet (server/domain/auth/auth.rules.ts). */
export { NO_PASSWORD_HASH };

/** False for a wrong password and for a malformed stored hash (never throws on bad input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (passwordHash === NO_PASSWORD_HASH) {
    await verifyPassword(await timingDummyHash(), password);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password, verified against when the username does not
 * exist so that the answer takes as long as for a real account.
 */
let dummyHash: Promise<string> | undefined;
export function timingDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(`no-such-user-${Math.random()}`);
  return dummyHash;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
}

export const argon2Hasher: PasswordHasher = { hash: hashPassword, verify: verifyPassword };
