/**
 * The years any date the platform takes may fall in. A typo such as 20260
 * must never be stored: a timestamp past the year 9999 is read back as an
 * invalid date. Every date input (API bodies and queries, the cycle policy,
 * schedule windows, which the database also checks) uses these schemas.
 */
import { z } from 'zod';

export const DATE_YEARS = { min: 2000, max: 2100 } as const;

const inRange = (d: Date) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= DATE_YEARS.min && d.getUTCFullYear() <= DATE_YEARS.max;
const RANGE_MESSAGE = `日期须在 ${DATE_YEARS.min} 至 ${DATE_YEARS.max} 年之间 / the date must fall in the years ${DATE_YEARS.min} to ${DATE_YEARS.max}`;

/** An ISO date or time, as a Date within DATE_YEARS. */
export const boundedDateSchema = z.coerce.date().refine(inRange, { message: RANGE_MESSAGE });

/** A real calendar day YYYY-MM-DD within DATE_YEARS, kept as text. */
export const boundedDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式须为 YYYY-MM-DD / the date must be YYYY-MM-DD' })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return inRange(d) && d.toISOString().startsWith(s);
    },
    { message: RANGE_MESSAGE },
  );
