import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distributeQuotas } from './distribute';

const FIXTURES = join(__dirname, '../../../test/fixtures/allocation');
const inst = (juniorSchools: object[], highSchools: object[]) => ({ format: 'zz-admissions/quota-instance@1', juniorSchools, highSchools });
const j = (id: string, graduates: number, region = 'HT', weightPercent?: number) => ({ id, region, graduates, weightPercent });

describe('quota distribution (§1)', () => {
  it('reproduces the worked example quota-01', () => {
    const input = JSON.parse(readFileSync(join(FIXTURES, 'quota-01.instance.json'), 'utf8'));
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'quota-01.result.json'), 'utf8'));
    const strip = (q: Record<string, Record<string, number>>) =>
      Object.fromEntries(Object.entries(q).filter(([, m]) => Object.keys(m).length > 0));
    expect(strip(distributeQuotas(input).quota)).toEqual(strip(expected.quota));
  });

  it('rounds the percentage half up: Q = floor((capacity*percent + 50)/100)', () => {
    const r = distributeQuotas(inst([j('J1', 10)], [{ id: 'H', region: 'HT', scope: 'city', capacity: 5, quotaPercent: 50 }]));
    expect(r.quota.H).toEqual({ J1: 3 }); // 2.5 -> 3
  });

  it('splits by largest remainder; ties to more graduates, then the smaller id', () => {
    // 3 seats over weights 1:1:1 -> one each; 2 seats -> remainders tie, graduates decide, then id.
    const h = (seats: number) => [{ id: 'H', region: 'HT', scope: 'city', capacity: 10, quotaSeats: seats }];
    expect(distributeQuotas(inst([j('B', 10), j('A', 10), j('C', 10)], h(2))).quota.H).toEqual({ A: 1, B: 1 });
    expect(distributeQuotas(inst([j('B', 10), j('A', 10), j('C', 10, 'HT', 100)], h(1))).quota.H).toEqual({ A: 1 });
    // weights: rural C at 200% counts double.
    expect(distributeQuotas(inst([j('A', 10), j('C', 10, 'HT', 200)], h(3))).quota.H).toEqual({ A: 1, C: 2 });
  });

  it('gives the minimum first, but never more than Q/|E| each', () => {
    const r = distributeQuotas(inst([j('A', 1000), j('B', 1), j('C', 1)], [
      { id: 'H', region: 'HT', scope: 'city', capacity: 100, quotaSeats: 10, minPerSchool: 2 },
      { id: 'K', region: 'HT', scope: 'city', capacity: 100, quotaSeats: 2, minPerSchool: 5 },
    ]));
    expect(r.quota.H).toEqual({ A: 6, B: 2, C: 2 }); // 2 each, then 4 by weight 1000:1:1
    expect(Object.values(r.quota.K).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('region scope uses only that region; schools without graduates never get seats', () => {
    const r = distributeQuotas(inst([j('A', 50, 'HT'), j('B', 50, 'LL'), j('Z', 0, 'LL')], [
      { id: 'H', region: 'LL', scope: 'region', capacity: 10, quotaPercent: 100 },
      { id: 'E', region: 'YX', scope: 'region', capacity: 10, quotaPercent: 100 },
    ]));
    expect(r.quota.H).toEqual({ B: 10 });
    expect(r.quota.E).toBeUndefined();
  });

  it('quotaSeats overrides quotaPercent; neither is an error naming the school', () => {
    expect(distributeQuotas(inst([j('A', 1)], [{ id: 'H', region: 'HT', scope: 'city', capacity: 9, quotaPercent: 100, quotaSeats: 4 }])).quota.H).toEqual({ A: 4 });
    expect(() => distributeQuotas(inst([j('A', 1)], [{ id: 'H', region: 'HT', scope: 'city', capacity: 9 }]))).toThrow(/highSchools\[0\] \(id "H"\): needs quotaPercent or quotaSeats/);
    expect(() => distributeQuotas(inst([j('A', 1, 'HT', 0)], []))).toThrow(/weightPercent: must be an integer from 1 to 1000/);
    expect(() => distributeQuotas(inst([j('A', 1), j('A', 2)], []))).toThrow(/duplicate junior school id/);
  });

  it('the seats of each high school add up to exactly Q (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ graduates: fc.nat(500), weightPercent: fc.integer({ min: 1, max: 1000 }), region: fc.constantFrom('A', 'B') }), { minLength: 1, maxLength: 30 }),
        fc.record({ capacity: fc.nat(2000), quotaPercent: fc.integer({ min: 0, max: 100 }), minPerSchool: fc.nat(20), scope: fc.constantFrom('city', 'region') }),
        (juniors, high) => {
          const js = juniors.map((x, i) => ({ id: `J${i}`, ...x }));
          const r = distributeQuotas(inst(js, [{ id: 'H', region: 'A', ...high }]));
          const q = Math.floor((high.capacity * high.quotaPercent + 50) / 100);
          const eligible = js.filter((x) => x.graduates > 0 && (high.scope === 'city' || x.region === 'A'));
          const sum = Object.values(r.quota.H ?? {}).reduce((a, b) => a + b, 0);
          expect(sum).toBe(eligible.length === 0 ? 0 : q);
          for (const id of Object.keys(r.quota.H ?? {})) expect(eligible.some((x) => x.id === id)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
