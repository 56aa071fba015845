/**
 * The preschool plan's three indicators, per region and city-wide:
 * 普惠性幼儿园覆盖率 (children in public and 普惠性民办 kindergartens over all
 * children enrolled, goal 92%), 公办园在园幼儿占比 (children in public
 * kindergartens, goal 58%) and 毛入园率 (children enrolled over the region's
 * children aged 3-5, goal 95%). Null where there is nothing to divide by.
 */
import type { KindergartenNature } from './types';

export const PRESCHOOL_GOALS = { puhuiShare: 0.92, publicShare: 0.58, grossEnrolmentRate: 0.95 } as const;

export interface IndicatorInputs {
  regions: readonly { code: string; name: string }[];
  kindergartens: readonly { regionCode: string; nature: KindergartenNature; children: number }[];
  /** Children aged 3-5 per region (the latest count); a region without one has no 毛入园率. */
  population: readonly { regionCode: string; children: number }[];
}

export interface Indicators {
  puhuiShare: number | null;
  publicShare: number | null;
  grossEnrolmentRate: number | null;
}

export interface RegionIndicators extends Indicators {
  code: string;
  name: string;
  /** Children enrolled in the region's kindergartens. */
  children: number;
  /** Children aged 3-5 living there; null without a count. */
  population: number | null;
}

const share = (part: number, whole: number | null) => (whole && whole > 0 ? part / whole : null);

/** The indicators of each region and of the city. */
export function preschoolIndicators(inputs: IndicatorInputs): { city: Indicators & { children: number; population: number | null }; regions: RegionIndicators[] } {
  const sums = new Map<string, { children: number; puhui: number; public: number }>();
  for (const r of inputs.regions) sums.set(r.code, { children: 0, puhui: 0, public: 0 });
  for (const k of inputs.kindergartens) {
    const s = sums.get(k.regionCode);
    if (!s) continue;
    s.children += k.children;
    if (k.nature !== 'private') s.puhui += k.children;
    if (k.nature === 'public') s.public += k.children;
  }
  const population = new Map(inputs.population.map((p) => [p.regionCode, p.children]));
  const regions = inputs.regions.map((r) => {
    const s = sums.get(r.code)!;
    const pop = population.get(r.code) ?? null;
    return {
      code: r.code,
      name: r.name,
      puhuiShare: share(s.puhui, s.children),
      publicShare: share(s.public, s.children),
      grossEnrolmentRate: share(s.children, pop),
      children: s.children,
      population: pop,
    };
  });
  const total = [...sums.values()].reduce((a, s) => ({ children: a.children + s.children, puhui: a.puhui + s.puhui, public: a.public + s.public }), { children: 0, puhui: 0, public: 0 });
  // The city's rate counts only regions with a population count, so a missing count does not pull it down.
  const counted = regions.filter((r) => r.population !== null);
  const cityPopulation = counted.length > 0 ? counted.reduce((a, r) => a + (r.population ?? 0), 0) : null;
  const countedChildren = counted.reduce((a, r) => a + r.children, 0);
  return {
    city: {
      puhuiShare: share(total.puhui, total.children),
      publicShare: share(total.public, total.children),
      grossEnrolmentRate: share(countedChildren, cityPopulation),
      children: total.children,
      population: cityPopulation,
    },
    regions,
  };
}
