import { randomBytes } from 'node:crypto';

/**
 * A time-ordered id (UUID version 7, RFC 9562): 48 bits of Unix milliseconds,
 * then random bits. Rows inserted one after another land next to each other
 * in the primary-key index, where a random UUID would touch a random page of
 * it each time (more pages dirtied, more write-ahead log after a checkpoint).
 * For ids made in SQL we write ourselves; Prisma's own creates use cuid(),
 * which is time-ordered too.
 */
export function timeOrderedId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
