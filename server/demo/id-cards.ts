/**
 * Fake ID card numbers (身份证号, GB 11643) for the demo city, unique within
 * it, as the database requires of a cycle's students: region code (6 digits),
 * birth date (8), a sequence (3; odd for male, even for female) and the check
 * character. Each (region, birth day, gender) hands out each of its sequence
 * numbers once; when a day's are used up the next day's are taken (and the
 * student's birth date moves with it), so no number is ever given twice.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** Sequences 001..999: 500 odd ones for male students, 499 even ones (002..998) for female. */
const MALE_SEQUENCES = 500;
const FEMALE_SEQUENCES = 499;

export interface IssuedIdCard {
  idCardNo: string;
  /** The birth day actually used (the one asked for unless it was full). */
  day: number;
}

export class IdCardNumbers {
  /** Next free sequence index per (region, birth day, gender). */
  private readonly used: Int32Array;
  private readonly regionChecksum: Int32Array;
  private readonly birthChecksum: Int32Array;
  private readonly perDay: { male: number; female: number };

  /**
   * `adminCodes`: six-digit region codes, all different; `birthDays`: the
   * possible birth dates as YYYYMMDD. `perDay` lowers the numbers per day and
   * gender (tests use it to reach the overflow cheaply).
   */
  constructor(
    private readonly adminCodes: readonly string[],
    private readonly birthDays: readonly string[],
    perDay?: number,
  ) {
    if (new Set(adminCodes).size !== adminCodes.length) throw new RangeError('IdCardNumbers: region codes must differ');
    this.used = new Int32Array(adminCodes.length * birthDays.length * 2);
    this.regionChecksum = Int32Array.from(adminCodes, (code) => weighted(code, 0));
    this.birthChecksum = Int32Array.from(birthDays, (date) => weighted(date, 6));
    this.perDay = { male: Math.min(MALE_SEQUENCES, perDay ?? MALE_SEQUENCES), female: Math.min(FEMALE_SEQUENCES, perDay ?? FEMALE_SEQUENCES) };
  }

  /** A number never issued before for a student of region index `region` born on day index `day`. */
  issue(region: number, day: number, male: boolean): IssuedIdCard {
    const days = this.birthDays.length;
    const limit = male ? this.perDay.male : this.perDay.female;
    let slot = (region * days + day) * 2 + (male ? 1 : 0);
    for (let tries = 0; this.used[slot] >= limit; tries++) {
      if (tries >= days) throw new RangeError('generateCity: too many students for unique ID card numbers');
      day = (day + 1) % days;
      slot = (region * days + day) * 2 + (male ? 1 : 0);
    }
    const order = this.used[slot]++;
    const sequence = male ? 2 * order + 1 : 2 * order + 2;
    const d0 = Math.floor(sequence / 100);
    const d1 = Math.floor(sequence / 10) % 10;
    const d2 = sequence % 10;
    const check = ID_CHECK[(this.regionChecksum[region] + this.birthChecksum[day] + d0 * 8 + d1 * 4 + d2 * 2) % 11];
    return { idCardNo: this.adminCodes[region] + this.birthDays[day] + d0 + d1 + d2 + check, day };
  }
}

/** Sum of digits times the ID weights from position `offset` on. */
function weighted(digitsText: string, offset: number): number {
  let sum = 0;
  for (let i = 0; i < digitsText.length; i++) sum += (digitsText.charCodeAt(i) - 48) * ID_WEIGHTS[offset + i];
  return sum;
}
