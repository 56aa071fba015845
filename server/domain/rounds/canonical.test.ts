import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

/** The definition, written the slow way: every object copied with its keys sorted, then JSON.stringify. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortedCopy(item)));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = sortedCopy(item);
  }
  return out;
}

// Keys that exercise the order rules: index-like keys (enumerated first by JavaScript), long numbers
// that are not indexes (an exam number), near-indexes ("01", "-1"), and text in and out of order.
const key = fc.oneof(fc.constantFrom('0', '1', '2', '10', '01', '-1', '4294967294', '4294967295', '2025430201555', 'a', 'B', 'b', 'é', '株洲'), fc.string({ maxLength: 4 }));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.constant(undefined), fc.boolean(), fc.integer(), fc.double({ noNaN: true }), fc.string(), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }).map((entries) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) out[k] = v;
    return out;
  }),
}));

describe('canonical JSON', () => {
  it('is JSON.stringify of a copy with sorted keys, whether or not the value was built in order', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(JSON.stringify(sortedCopy(v)));
        // The same value rebuilt in canonical order takes the fast path and gives the same text.
        const ordered = JSON.parse(JSON.stringify(sortedCopy(v)) ?? 'null');
        expect(canonicalJson(ordered)).toBe(JSON.stringify(sortedCopy(v)) ?? 'null');
      }),
      { numRuns: RUNS },
    );
  });
});
