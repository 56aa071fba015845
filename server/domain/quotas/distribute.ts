/**
 * Quota distribution (指标分配, ALLOCATION.md §1): how many quota seats of each
 * high school go to each junior high school. Integer arithmetic throughout
 * (BigInt for the remainders, so no weight is too large to split exactly).
 */
import { InstanceError } from '../allocation/types';

export const QUOTA_INSTANCE_FORMAT = 'zz-admissions/quota-instance@1';
export const QUOTA_RESULT_FORMAT = 'zz-admissions/quota-result@1';

export interface QuotaJuniorSchool {
  id: string;
  region: string;
  graduates: number;
  /** Weight in percent, 1..1000, default 100; raised for rural schools (向农村初中倾斜). */
  weightPercent?: number | null;
}

export interface QuotaHighSchool {
  id: string;
  region: string;
  scope: 'city' | 'region';
  capacity: number;
  quotaPercent?: number | null;
  /** Overrides quotaPercent when given. */
  quotaSeats?: number | null;
  minPerSchool?: number | null;
}

export interface QuotaInstance {
  format: typeof QUOTA_INSTANCE_FORMAT;
  juniorSchools: QuotaJuniorSchool[];
  highSchools: QuotaHighSchool[];
}

export interface QuotaResult {
  format: typeof QUOTA_RESULT_FORMAT;
  /** high school id -> junior school id -> seats (zero entries omitted). */
  quota: Record<string, Record<string, number>>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intField(rec: Record<string, unknown>, field: string, where: string, min: number, max: number, required: boolean): number | null {
  const v = rec[field];
  if (v === undefined || v === null) {
    if (required) throw new InstanceError(`${where}.${field}`, 'is required');
    return null;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new InstanceError(`${where}.${field}`, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function stringField(rec: Record<string, unknown>, field: string, where: string): string {
  const v = rec[field];
  if (v === undefined || v === null) throw new InstanceError(`${where}.${field}`, 'is required');
  if (typeof v !== 'string') throw new InstanceError(`${where}.${field}`, 'must be a string');
  return v;
}

interface Junior {
  id: string;
  region: string;
  graduates: number;
  weight: bigint;
}

interface High {
  id: string;
  region: string;
  cityScope: boolean;
  total: number;
  minPerSchool: number;
}

/** Validates a quota instance; throws InstanceError naming the first bad record. */
function parseQuotaInstance(input: unknown): { juniors: Junior[]; highs: High[] } {
  if (!isObject(input)) throw new InstanceError('instance', 'must be a JSON object');
  if (input.format !== QUOTA_INSTANCE_FORMAT) {
    throw new InstanceError('format', `must be "${QUOTA_INSTANCE_FORMAT}", got ${JSON.stringify(input.format)}`);
  }
  if (!Array.isArray(input.juniorSchools)) throw new InstanceError('juniorSchools', 'is required and must be an array');
  if (!Array.isArray(input.highSchools)) throw new InstanceError('highSchools', 'is required and must be an array');
  const seen = new Set<string>();
  const juniors = (input.juniorSchools as unknown[]).map((raw, i): Junior => {
    const where = `juniorSchools[${i}]`;
    if (!isObject(raw)) throw new InstanceError(where, 'must be an object');
    const id = stringField(raw, 'id', where);
    if (seen.has(id)) throw new InstanceError(`${where} (id ${JSON.stringify(id)})`, 'duplicate junior school id');
    seen.add(id);
    const at = `${where} (id ${JSON.stringify(id)})`;
    const region = stringField(raw, 'region', at);
    const graduates = intField(raw, 'graduates', at, 0, Number.MAX_SAFE_INTEGER, true) as number;
    const weightPercent = intField(raw, 'weightPercent', at, 1, 1000, false) ?? 100;
    return { id, region, graduates, weight: BigInt(graduates) * BigInt(weightPercent) };
  });
  const seenHigh = new Set<string>();
  const highs = (input.highSchools as unknown[]).map((raw, i): High => {
    const where = `highSchools[${i}]`;
    if (!isObject(raw)) throw new InstanceError(where, 'must be an object');
    const id = stringField(raw, 'id', where);
    if (seenHigh.has(id)) throw new InstanceError(`${where} (id ${JSON.stringify(id)})`, 'duplicate high school id');
    seenHigh.add(id);
    const at = `${where} (id ${JSON.stringify(id)})`;
    const region = stringField(raw, 'region', at);
    const scope = stringField(raw, 'scope', at);
    if (scope !== 'city' && scope !== 'region') {
      throw new InstanceError(`${at}.scope`, `must be "city" or "region", got ${JSON.stringify(scope)}`);
    }
    const capacity = intField(raw, 'capacity', at, 0, Number.MAX_SAFE_INTEGER, true) as number;
    const quotaPercent = intField(raw, 'quotaPercent', at, 0, 100, false);
    const quotaSeats = intField(raw, 'quotaSeats', at, 0, capacity, false);
    if (quotaSeats === null && quotaPercent === null) {
      throw new InstanceError(at, 'needs quotaPercent or quotaSeats');
    }
    const total = quotaSeats ?? Math.floor((capacity * (quotaPercent as number) + 50) / 100);
    const minPerSchool = intField(raw, 'minPerSchool', at, 0, Number.MAX_SAFE_INTEGER, false) ?? 0;
    return { id, region, cityScope: scope === 'city', total, minPerSchool };
  });
  return { juniors, highs };
}

/**
 * Splits `seats` among `eligible` junior schools: a minimum each, then the
 * largest-remainder (Hamilton) method on graduates x weight; remainder ties go
 * to more graduates, then the smaller id.
 */
export function splitSeats(seats: number, minPerSchool: number, eligible: readonly Junior[]): Map<string, number> {
  const out = new Map<string, number>();
  if (eligible.length === 0) return out;
  const m = Math.min(minPerSchool, Math.floor(seats / eligible.length));
  const rest = BigInt(seats - m * eligible.length);
  const totalWeight = eligible.reduce((sum, j) => sum + j.weight, 0n);
  let given = 0n;
  const parts = eligible.map((j) => {
    const product = rest * j.weight;
    const share = product / totalWeight;
    given += share;
    return { j, share, remainder: product % totalWeight };
  });
  const leftover = Number(rest - given);
  const byRemainder = [...parts].sort((a, b) => {
    if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
    if (a.j.graduates !== b.j.graduates) return b.j.graduates - a.j.graduates;
    return a.j.id < b.j.id ? -1 : a.j.id > b.j.id ? 1 : 0;
  });
  for (let i = 0; i < leftover; i++) byRemainder[i].share += 1n;
  for (const p of parts) {
    const seatsForJunior = m + Number(p.share);
    if (seatsForJunior > 0) out.set(p.j.id, seatsForJunior);
  }
  return out;
}

/** Computes the quota distribution of ALLOCATION.md §1; throws InstanceError on bad input. */
export function distributeQuotas(instance: unknown): QuotaResult {
  const { juniors, highs } = parseQuotaInstance(instance);
  const withGraduates = juniors.filter((j) => j.graduates > 0);
  const quota: Record<string, Record<string, number>> = {};
  for (const h of highs) {
    const eligible = h.cityScope ? withGraduates : withGraduates.filter((j) => j.region === h.region);
    const split = splitSeats(h.total, h.minPerSchool, eligible);
    if (split.size > 0) quota[h.id] = Object.fromEntries(split);
  }
  return { format: QUOTA_RESULT_FORMAT, quota };
}
