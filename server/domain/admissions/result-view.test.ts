import { describe, expect, it } from 'vitest';
import { buildResultView, placementRowsOf, type ViewPlan } from './result-view';

const plans = new Map<string, ViewPlan>([
  ['H01', { name: '一中', region: '荷塘区', minScore: 600, minEvaluation: 'B', quotaMinScore: null, quotaMinEvaluation: null }],
  ['H02', { name: '二中', region: '芦淞区', minScore: null, minEvaluation: null, quotaMinScore: null, quotaMinEvaluation: null }],
]);
const student = { total: 580, evaluation: 'A', juniorSchoolId: 'J01' };
const main = { id: 'r1', kind: 'main' as const, publishedAt: new Date('2030-07-01T00:00:00Z'), schools: { H01: { cutoffs: { open: { total: 612 } } } } };

describe('buildResultView', () => {
  it('stores the placement and the reasons with the numbers behind them, in no language', () => {
    const view = buildResultView({
      student,
      main: { round: main, assignment: { highSchoolId: 'H02', seat: 'open', batch: 1, explanation: [{ school: 'H01', batch: 1, reasons: ['openFull', 'notACode'] }] } },
      supplementary: null,
      plans,
    });
    expect(view).toEqual({
      total: 580,
      main: {
        round: { id: 'r1', kind: 'main', publishedAt: '2030-07-01T00:00:00.000Z' },
        took: true,
        placed: true,
        school: { id: 'H02', name: '二中' },
        seat: 'open',
        batch: 1,
        explanations: [{ school: { id: 'H01', name: '一中' }, batch: 1, reasons: [{ code: 'openFull', params: { total: 580, evaluation: 'A', cutoff: 612 } }] }],
      },
      supplementary: null,
    });
    // What is stored is JSON: nothing is lost on the way to the database and back.
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('stores the key that decided a tie at the cutoff, from the round policy and the student scores', () => {
    const round = { ...main, tieBreak: ['math', 'evaluation'], schools: { H01: { cutoffs: { open: { total: 580, tieBreak: [120, 'B'], rank: 9 } } } } };
    const view = buildResultView({
      student: { ...student, scores: { math: 110 } },
      main: { round, assignment: { highSchoolId: 'H02', seat: 'open', batch: 1, explanation: [{ school: 'H01', batch: 1, reasons: ['openFull'] }] } },
      supplementary: null,
      plans,
    });
    expect(view.main.explanations[0].reasons[0].params).toEqual({ total: 580, evaluation: 'A', cutoff: 580, tieKey: 'math', tieStudent: 110, tieCutoff: 120 });
  });

  it('gives a student without a row in round 1 an unplaced section, and 补录 only to those who took part', () => {
    const supplementary = { round: { ...main, id: 'r2', kind: 'supplementary' as const }, assignment: undefined };
    const view = buildResultView({ student, main: { round: main, assignment: undefined }, supplementary, plans });
    expect(view.main).toMatchObject({ took: false, placed: false, school: null, seat: null, batch: null, explanations: [] });
    expect(view.supplementary).toBeNull();
    expect(placementRowsOf('s1', view, null)).toEqual([]);
  });
});

describe('placementRowsOf', () => {
  it('gives the answer to a placed round-1 row only, and 补录 without one', () => {
    const view = buildResultView({
      student,
      main: { round: main, assignment: { highSchoolId: 'H01', seat: 'quota', batch: 1, explanation: [] } },
      supplementary: { round: { ...main, id: 'r2', kind: 'supplementary' }, assignment: { highSchoolId: 'H02', seat: 'open', batch: 2, explanation: [] } },
      plans,
    });
    expect(placementRowsOf('s1', view, 'declined')).toEqual([
      { round: 'main', studentId: 's1', highSchoolId: 'H01', seat: 'quota', batch: 1, decision: 'declined' },
      { round: 'supplementary', studentId: 's1', highSchoolId: 'H02', seat: 'open', batch: 2, decision: null },
    ]);
    const unplaced = buildResultView({ student, main: { round: main, assignment: { highSchoolId: null, seat: null, batch: null, explanation: [] } }, supplementary: null, plans });
    expect(placementRowsOf('s1', unplaced, 'confirmed')).toEqual([{ round: 'main', studentId: 's1', highSchoolId: null, seat: null, batch: null, decision: null }]);
  });
});
