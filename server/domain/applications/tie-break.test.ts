import { describe, expect, it } from 'vitest';
import { explainAssignment } from './explain';
import { reasonText } from './reasons';
import { decidingKey, tieBreakValues, tieKeyLabel } from './tie-break';

/** The demo policy's order: chinese+math+english, then math, then chinese, then the evaluation grade. */
const KEYS = ['chinese+math+english', 'math', 'chinese', 'evaluation'];
const me = { evaluation: 'B', scores: { chinese: 112, math: 118, english: 110 } };

describe('tieBreakValues', () => {
  it('gives the values as the round result writes them: sums, single scores, grade letters, null when missing', () => {
    expect(tieBreakValues(KEYS, me)).toEqual([340, 118, 112, 'B']);
    expect(tieBreakValues(['chinese+physics', 'physics'], me)).toEqual([null, null]);
    expect(tieBreakValues(['evaluation'], { evaluation: '?', scores: null })).toEqual([null]);
  });
});

describe('decidingKey: one case per kind of key', () => {
  it('a sum key (语数英总分) decides when the sums differ', () => {
    expect(decidingKey(KEYS, [340, 118, 112, 'B'], [345, 118, 112, 'B'])).toEqual({ key: 'chinese+math+english', student: 340, cutoff: 345 });
  });
  it('a single subject decides when every key before it is equal', () => {
    expect(decidingKey(KEYS, [340, 118, 112, 'B'], [340, 120, 100, 'D'])).toEqual({ key: 'math', student: 118, cutoff: 120 });
    expect(decidingKey(KEYS, [340, 118, 112, 'B'], [340, 118, 115, 'D'])).toEqual({ key: 'chinese', student: 112, cutoff: 115 });
  });
  it('the evaluation grade decides by grade order (A above B)', () => {
    expect(decidingKey(KEYS, [340, 118, 112, 'B'], [340, 118, 112, 'A'])).toEqual({ key: 'evaluation', student: 'B', cutoff: 'A' });
  });
  it('a missing score counts below every present one', () => {
    expect(decidingKey(['physics'], [null], [0])).toEqual({ key: 'physics', student: null, cutoff: 0 });
  });
  it('equal on every key (or no keys): the lottery decided', () => {
    expect(decidingKey(KEYS, [340, 118, 112, 'B'], [340, 118, 112, 'B'])).toEqual({ key: 'lottery' });
    expect(decidingKey([], [], [])).toEqual({ key: 'lottery' });
  });
});

describe('tie explanations name the deciding key', () => {
  it('labels each key in both languages', () => {
    expect(tieKeyLabel('chinese', 'zh-CN')).toBe('语文成绩');
    expect(tieKeyLabel('chinese', 'en')).toBe('Chinese score');
    expect(tieKeyLabel('chinese+math+english', 'zh-CN')).toBe('语文+数学+英语总分');
    expect(tieKeyLabel('evaluation', 'en')).toBe('evaluation grade');
    expect(tieKeyLabel('lottery', 'zh-CN')).toContain('随机号');
  });

  it('"cutoff 719, your total 719" says what decided, from the round result and the student', () => {
    const schools = { H1: { cutoffs: { open: { student: 'X', total: 719, tieBreak: [340, 118, 115, 'A'], rank: 90 } } } };
    const [explained] = explainAssignment({
      explanation: [{ school: 'H1', batch: 1, reasons: ['openFull'] }],
      schools,
      student: { total: 719, evaluation: 'B', junior: 'J1', tieBreak: tieBreakValues(KEYS, me) },
      tieBreakKeys: KEYS,
      plans: new Map(),
    });
    const reason = explained.reasons[0];
    expect(reason.params).toMatchObject({ cutoff: 719, total: 719, tieKey: 'chinese', tieStudent: 112, tieCutoff: 115 });
    expect(reasonText(reason.code, 'zh-CN', reason.params)).toBe('统招名额已录满：录取最低分 719，你的总分 719；总分相同，按语文成绩决定（录取最低位考生 115，你 112）');
    expect(reasonText(reason.code, 'en', reason.params)).toBe('Open seats full: cutoff 719, your total 719; same total, decided by Chinese score (last admitted 115, you 112)');
  });

  it('quota and reverted seats explain ties too; a lower total says nothing about tie-breaks', () => {
    const schools = {
      H1: { cutoffs: { quota: { J1: { total: 700, tieBreak: [340, 118, 112, 'B'], rank: 5 } }, reverted: { total: 710, tieBreak: [300, 100, 100, 'A'], rank: 9 } } },
    };
    const input = { schools, tieBreakKeys: KEYS, plans: new Map() } as const;
    const quota = explainAssignment({ ...input, explanation: [{ school: 'H1', batch: 1, reasons: ['quotaFull', 'revertedFull'] }], student: { total: 700, evaluation: 'B', junior: 'J1', tieBreak: tieBreakValues(KEYS, me) } })[0];
    expect(reasonText('quotaFull', 'zh-CN', quota.reasons[0].params)).toContain('按公开随机号（抽签）决定');
    expect(quota.reasons[1].params.tieKey).toBeUndefined();
    expect(reasonText('revertedFull', 'en', quota.reasons[1].params)).toBe('Reverted seats full: cutoff 710, your total 700');
  });

  it('without the keys (an older stored view) the text is as before', () => {
    expect(reasonText('openFull', 'zh-CN', { cutoff: 719, total: 719 })).toBe('统招名额已录满：录取最低分 719，你的总分 719');
  });
});
