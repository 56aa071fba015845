/** Small pure helpers of the demo generator. */

/** Largest-remainder split of `total` by `weights` (ties to the lower index). */
export function splitByWeight(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const out = new Array<number>(weights.length);
  const remainder = new Array<number>(weights.length);
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = (total * weights[i]) / sum;
    out[i] = Math.floor(exact);
    remainder[i] = exact - out[i];
    given += out[i];
  }
  const order = weights.map((_, i) => i).sort((a, b) => remainder[b] - remainder[a] || a - b);
  for (let k = 0; k < total - given; k++) out[order[k % order.length]]++;
  return out;
}

/** Number of decimal digits of n (at least 1). */
export function digits(n: number): number {
  return String(Math.max(1, n)).length;
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** ISO date `days` after the given calendar day (UTC calendar arithmetic, no clock). */
export function isoDate(year: number, month: number, day: number, days = 0): string {
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Whole days from one ISO date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

export function roundHalf(x: number): number {
  return Math.round(x * 2) / 2;
}

/**
 * V8 keeps a concatenation of 13 or more characters as a rope (ConsString);
 * reading one character flattens it, and the GC then drops the rope. An 18-digit
 * ID number takes 48 bytes instead of about 136, which matters at a million students.
 */
export function flatten(text: string): string {
  text.charCodeAt(0);
  return text;
}
