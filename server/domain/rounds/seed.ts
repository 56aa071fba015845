import { PHASES, type Phase } from '../schedule/schedule';
import { sha256Hex } from './canonical';

/**
 * The lottery seed (ALLOCATION.md §2.1) is fixed before anyone applies: from
 * the moment applications open the cycle publishes `sha256(seed)`, its
 * commitment, and the seed can no longer change; the seed itself is revealed
 * with round 1 (in the round's bundle). So nobody can pick a seed after
 * seeing the choices, and anyone can check the revealed one against what was
 * published before.
 */

/** The commitment to a seed: lowercase hex SHA-256 of its UTF-8 text. */
export function seedCommitmentOf(seed: string): string {
  return sha256Hex(seed);
}

/** Whether the seed is committed (fixed and its hash public) in a phase: from applications_open on. */
export function isSeedCommittedIn(phase: Phase): boolean {
  return PHASES.indexOf(phase) >= PHASES.indexOf('applications_open');
}

/**
 * A seed the bureau sets itself must be long enough not to be guessed from
 * its published hash (the generated ones are 256 random bits).
 */
export const SEED_MIN_LENGTH = 16;
