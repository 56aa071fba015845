import { allocate } from '../allocation/engine';
import { InstanceError, type AllocationResult } from '../allocation/types';
import { canonicalJson, sha256Hex } from './canonical';
import { seedCommitmentOf } from './seed';

/**
 * Checks a round's bundle (GET /api/rounds/:id/bundle) with nothing but the
 * bundle: the seed against the commitment published when applications opened,
 * the SHA-256 of the canonical input and result against the hashes the
 * platform stored, and the allocation re-run on the input (ALLOCATION.md)
 * against the result. `npm run -s bundle:verify` prints these checks.
 */

export interface BundleCheck {
  /** Short name, e.g. `seed commitment`. */
  name: string;
  ok: boolean;
  /** What was compared, or what differs. */
  detail: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const short = (hash: unknown) => (typeof hash === 'string' ? hash.slice(0, 16) + (hash.length > 16 ? '…' : '') : String(hash));

/** Pure (but for the work of the engine): every check of a parsed bundle, in order. All `ok` means the bundle holds. */
export function verifyBundle(bundle: unknown): BundleCheck[] {
  if (!isObject(bundle) || !isObject(bundle.input) || !isObject(bundle.result) || !isObject(bundle.sha256)) {
    return [{ name: 'bundle', ok: false, detail: 'not a round bundle: expected an object with input, result, seed, seedCommitment and sha256' }];
  }
  const { input, result, seed, seedCommitment } = bundle;
  const hashes = bundle.sha256;
  const checks: BundleCheck[] = [];

  checks.push(
    typeof seed === 'string' && seed === input.seed
      ? { name: 'seed in the input', ok: true, detail: 'the input runs on the revealed seed' }
      : { name: 'seed in the input', ok: false, detail: typeof seed === 'string' ? 'the input\'s seed differs from the revealed seed' : 'the bundle carries no seed' },
  );
  if (typeof seed !== 'string') {
    checks.push({ name: 'seed commitment', ok: false, detail: 'no seed to check' });
  } else if (typeof seedCommitment !== 'string') {
    checks.push({ name: 'seed commitment', ok: false, detail: 'the bundle carries no seedCommitment (the cycle published none)' });
  } else {
    const actual = seedCommitmentOf(seed);
    checks.push(
      actual === seedCommitment.toLowerCase()
        ? { name: 'seed commitment', ok: true, detail: `sha256(seed) = ${short(actual)} = the published commitment` }
        : { name: 'seed commitment', ok: false, detail: `sha256(seed) = ${short(actual)}, but the published commitment is ${short(seedCommitment)}` },
    );
  }

  const inputHash = sha256Hex(canonicalJson(input));
  checks.push(
    inputHash === hashes.input
      ? { name: 'input hash', ok: true, detail: `sha256 ${short(inputHash)}` }
      : { name: 'input hash', ok: false, detail: `sha256 of the input is ${short(inputHash)}, the bundle says ${short(hashes.input)}` },
  );
  const resultText = canonicalJson(result);
  const resultHash = sha256Hex(resultText);
  checks.push(
    resultHash === hashes.result
      ? { name: 'result hash', ok: true, detail: `sha256 ${short(resultHash)}` }
      : { name: 'result hash', ok: false, detail: `sha256 of the result is ${short(resultHash)}, the bundle says ${short(hashes.result)}` },
  );

  checks.push(rerun(input, result as unknown as AllocationResult, resultText));
  return checks;
}

/** The allocation re-run on the input, compared with the result (explanations too when the result has them). */
function rerun(input: Record<string, unknown>, result: AllocationResult, resultText: string): BundleCheck {
  let again: AllocationResult;
  try {
    again = allocate(input, { explain: result.explanations !== undefined });
  } catch (error) {
    if (error instanceof InstanceError) return { name: 're-run', ok: false, detail: `the input is not a valid instance: ${error.message}` };
    throw error;
  }
  if (canonicalJson(again) === resultText) {
    return { name: 're-run', ok: true, detail: `the allocation of the input gives the result exactly (${Object.keys(again.assignments).length} assigned, ${again.unassigned.length} unassigned)` };
  }
  const differences: string[] = [];
  const ids = new Set([...Object.keys(again.assignments), ...Object.keys(result.assignments ?? {})]);
  const moved = [...ids].filter((id) => canonicalJson(again.assignments[id] ?? null) !== canonicalJson(result.assignments?.[id] ?? null));
  if (moved.length > 0) differences.push(`${moved.length} student(s) placed differently, e.g. ${moved.slice(0, 3).join(', ')}`);
  if (canonicalJson(again.unassigned) !== canonicalJson(result.unassigned ?? null)) differences.push('the unassigned list differs');
  const schools = Object.keys(again.schools).filter((h) => canonicalJson(again.schools[h]) !== canonicalJson(result.schools?.[h] ?? null));
  if (schools.length > 0) differences.push(`${schools.length} school(s) differ, e.g. ${schools.slice(0, 3).join(', ')}`);
  if (differences.length === 0) differences.push('other fields (explanations) differ');
  return { name: 're-run', ok: false, detail: `the allocation of the input does not give the result: ${differences.join('; ')}` };
}
