/**
 * The engine's outcome in flat arrays (who holds which seat), shared by the
 * engine that fills it and result.ts that turns it into ALLOCATION.md §2.5.
 */

export const SEAT_OPEN = 0;
export const SEAT_QUOTA = 1;
export const SEAT_REVERTED = 2;
export const NO_SCHOOL = -1;

/** Who holds which seat once every batch has run; the input of result building. */
export interface Matching {
  /** School index per student, or NO_SCHOOL. */
  schoolOf: Int32Array;
  /** SEAT_OPEN, SEAT_QUOTA or SEAT_REVERTED per assigned student. */
  seatOf: Uint8Array;
  /** Batch index per assigned student. */
  batchOf: Int32Array;
  proposals: number;
}
