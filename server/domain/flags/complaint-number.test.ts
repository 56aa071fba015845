import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COMPLAINT_NUMBER_PATTERN, complaintNumber, normalizeComplaintNumber } from './complaint-number';

describe('complaint numbers', () => {
  it('look like TS-7K4Q-92 and use the whole alphabet', () => {
    const numbers = Array.from({ length: 2000 }, () => complaintNumber(randomInt));
    for (const n of numbers) expect(n).toMatch(COMPLAINT_NUMBER_PATTERN);
    expect(new Set(numbers.join('').replace(/TS|-/g, ''))).toHaveProperty('size', 26);
    expect(complaintNumber(() => 0)).toBe('TS-2222-22');
  });

  it('read back what a person typed', () => {
    expect(normalizeComplaintNumber(' ts-7k4q-9x ')).toBe('TS-7K4Q-9X');
    expect(normalizeComplaintNumber('7K4Q9X')).toBe('TS-7K4Q-9X');
    expect(normalizeComplaintNumber('TS-7K4Q-9Z')).toBeNull(); // Z is not in the alphabet (read as 2)
    expect(normalizeComplaintNumber('TS-7K4-9X')).toBeNull();
  });
});
