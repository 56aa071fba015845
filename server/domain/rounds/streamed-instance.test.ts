import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileInstance } from '../allocation/compile';
import { match, matchCompiled } from '../allocation/engine';
import { InstanceError } from '../allocation/types';
import { canonicalJson } from './canonical';
import { buildInstance, createInstanceBuilder, type PlanRow, type QuotaRow, type StudentRow } from './round-input';
import { createStreamedInstance } from './streamed-instance';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 400);
const SCHOOLS = ['H1', 'H2', 'H3', 'H4', 'H5'];
const JUNIORS = ['J1', 'J2', 'J3'];

const planArb: fc.Arbitrary<PlanRow[]> = fc
  .array(
    fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      capacity: fc.integer({ min: 0, max: 4 }),
      scope: fc.constantFrom('city' as const, 'region' as const),
      regionCode: fc.constantFrom('R1', 'R2'),
      minScore: fc.option(fc.integer({ min: 300, max: 600 }), { nil: null }),
      minEvaluation: fc.option(fc.constantFrom('A' as const, 'C' as const), { nil: null }),
    }),
    { minLength: 1, maxLength: SCHOOLS.length },
  )
  .map((plans) => plans.map((p, i) => ({ ...p, highSchoolId: SCHOOLS[i], ownership: 'public', quotaMinScore: null, quotaMinEvaluation: null })));

const quotaArb: fc.Arbitrary<QuotaRow[]> = fc.array(
  fc.record({ highSchoolId: fc.constantFrom(...SCHOOLS), juniorSchoolId: fc.constantFrom(...JUNIORS), seats: fc.integer({ min: 0, max: 2 }) }),
  { maxLength: 4 },
);

/** Mostly good rows, with what a database of real years could still hold now and then. */
const rowArb: fc.Arbitrary<StudentRow> = fc.record({
  studentId: fc.uuid(),
  examNo: fc.oneof(fc.constantFrom('S01', 'S02', 'S03', 'S10', 'a', 'B', '7', '12'), fc.string({ minLength: 1, maxLength: 4 })),
  juniorSchoolId: fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...JUNIORS, 'J9') }, { weight: 1, arbitrary: fc.constant(null as unknown as string) }),
  regionCode: fc.constantFrom('R1', 'R2', 'R3'),
  total: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 200, max: 700 }).map((t) => t / 2) }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, 'NaN' as unknown as number) }),
  scores: fc.oneof(
    fc.record({ math: fc.integer({ min: 0, max: 120 }), chinese: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }), '1': fc.integer({ min: 0, max: 9 }) }, { requiredKeys: ['math'] }),
    fc.constant(null),
  ),
  evaluation: fc.oneof({ weight: 30, arbitrary: fc.constantFrom('A', 'B', 'C', 'D') }, { weight: 1, arbitrary: fc.constant('E') }) as fc.Arbitrary<StudentRow['evaluation']>,
  quotaEligible: fc.oneof({ weight: 30, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constant(null as unknown as boolean) }),
  choices: fc.dictionary(
    fc.constantFrom('1', '2', '3', '01', 'x', '4294967296', '99999999999'),
    fc.oneof({ weight: 10, arbitrary: fc.array(fc.constantFrom(...SCHOOLS, 'H9', 7 as unknown as string), { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constant('H1' as unknown) }),
  ),
});

describe('createStreamedInstance', () => {
  it('gives compileInstance(buildInstance(...)) and its canonical text, errors included', () => {
    const outcomes = { compiled: 0, refused: 0 };
    fc.assert(
      fc.property(
        planArb,
        quotaArb,
        fc.uniqueArray(rowArb, { selector: (row) => row.examNo, maxLength: 25 }),
        fc.constantFrom<string[][]>([], ['math'], ['chinese+math', 'evaluation']),
        fc.boolean(),
        fc.nat(40),
        (plans, quotas, unique, tieBreak, supplementary, twice) => {
          // Now and then a student whose exam number another has (the database forbids it; the engine would refuse it).
          const students = twice === 0 && unique.length > 1 ? [...unique, { ...unique[1], studentId: 'again' }] : unique;
          const props = {
            seed: 'seed',
            policy: { quotaPrecedence: 'openFirst' as const, unusedQuota: 'revert' as const, tieBreak },
            plans,
            quotas,
            ...(supplementary ? { capacityOverride: { H1: 1, H2: 0 } } : {}),
          };
          const built = buildInstance({ ...props, students });
          let expected: ReturnType<typeof compileInstance> | InstanceError;
          try {
            expected = compileInstance(built.instance);
          } catch (error) {
            if (!(error instanceof InstanceError)) throw error;
            expected = error;
          }
          const streamed = createStreamedInstance(props);
          for (const row of students) streamed.add(row);
          if (expected instanceof InstanceError) {
            outcomes.refused++;
            expect(() => streamed.finish()).toThrow(expected.message);
            return;
          }
          outcomes.compiled++;
          const finished = streamed.finish();
          const { scores: _scores, ...compiled } = finished.inst;
          const { scores: _expectedScores, ...wanted } = expected;
          expect(compiled).toEqual(wanted);
          let text = '';
          const decoder = new TextDecoder();
          finished.writeText((piece) => (text += decoder.decode(piece, { stream: true })), 64);
          text += decoder.decode();
          expect(text).toBe(canonicalJson(built.instance));
          expect(finished.summary).toBe(canonicalJson({ ...built.instance, students: undefined }));
          expect(finished.droppedChoices).toBe(built.droppedChoices);
          const builder = createInstanceBuilder(props);
          for (const row of students) builder.add(row);
          expect(finished.rowIds).toEqual(builder.finish().studentIds);
        },
      ),
      { numRuns: RUNS },
    );
    // Both kinds of case were tried (the arbitraries make each far likelier than one in ten).
    expect(outcomes.refused).toBeGreaterThan(RUNS / 10);
    expect(outcomes.compiled).toBeGreaterThan(RUNS / 10);
  });

  it('holds thousands of students as the instance does, and the engine matches them the same way', () => {
    const plans: PlanRow[] = SCHOOLS.map((id, i) => ({
      highSchoolId: id, regionCode: i % 2 ? 'R1' : 'R2', ownership: 'public', scope: 'city', batch: 1 + (i % 2), capacity: 3, minScore: null, minEvaluation: null, quotaMinScore: null, quotaMinEvaluation: null,
    }));
    const students: StudentRow[] = Array.from({ length: 5000 }, (_, i) => ({
      studentId: `row${i}`, examNo: `S${String((i * 37) % 5000).padStart(4, '0')}`, juniorSchoolId: JUNIORS[i % 3], regionCode: i % 2 ? 'R1' : 'R2',
      total: 400 + ((i * 13) % 50), scores: { math: i % 7, chinese: i % 5 }, evaluation: 'ABCD'[i % 4] as StudentRow['evaluation'], quotaEligible: i % 3 > 0,
      choices: { '1': ['H1', 'H3', 'H5'].slice(i % 3), '2': ['H4', 'H2'] },
    }));
    const props = { seed: 'x', policy: { quotaPrecedence: 'openFirst' as const, unusedQuota: 'revert' as const, tieBreak: ['math', 'chinese'] }, plans, quotas: [{ highSchoolId: 'H1', juniorSchoolId: 'J2', seats: 2 }] };
    const streamed = createStreamedInstance(props);
    for (const row of students) streamed.add(row);
    const finished = streamed.finish();
    const { inst } = finished;
    const { instance } = buildInstance({ ...props, students });
    // Thousands of students: past the first growth of every array the builder keeps.
    const { scores: _scores, ...compiled } = inst;
    const { scores: _expectedScores, ...wanted } = compileInstance(instance);
    expect(compiled).toEqual(wanted);
    const pieces: Uint8Array[] = [];
    finished.writeText((piece) => pieces.push(piece.slice()), 1 << 16);
    const text = Buffer.concat(pieces).toString('utf8');
    expect(pieces.length).toBeGreaterThan(1);
    expect(text).toBe(canonicalJson(instance));
    const fromObjects = match(instance);
    const fromStream = matchCompiled(inst);
    expect(Array.from(fromStream.matching.schoolOf)).toEqual(Array.from(fromObjects.matching.schoolOf));
    expect(Array.from(fromStream.matching.seatOf)).toEqual(Array.from(fromObjects.matching.seatOf));
    expect(Array.from(fromStream.prio.order)).toEqual(Array.from(fromObjects.prio.order));
  });
});
