/**
 * Why a student cannot hold a seat at a school, or did not get one, in words
 * families read (zh-CN first, English). The codes are the engine's
 * (server/domain/allocation/types.ts RejectionReason) plus the portal's own
 * input checks; the numbers make the reason concrete ("cutoff 598, you 590").
 */
import type { RejectionReason } from '../allocation/types';
import { LOTTERY_KEY, tieKeyLabel, type TieValue } from './tie-break';

export type Lang = 'zh-CN' | 'en';

/** Reasons the portal adds to the engine's: problems with the list itself. */
export type ChoiceProblemCode = 'unknownSchool' | 'wrongBatch' | 'duplicate' | 'tooMany' | 'noSeatsLeft' | 'ineligible';

export type ReasonCode = RejectionReason | ChoiceProblemCode;

/** Numbers and names a reason may cite; absent ones are left out of the text. */
export interface ReasonParams {
  total?: number;
  evaluation?: string;
  minScore?: number;
  minEvaluation?: string;
  cutoff?: number;
  school?: string;
  batch?: number;
  schoolBatch?: number;
  max?: number;
  region?: string;
  /** With a cutoff equal to the total: the tie-break key that decided (`lottery` when every key was equal). */
  tieKey?: string;
  /** The student's value of `tieKey`. */
  tieStudent?: TieValue;
  /** The last admitted student's value of `tieKey`. */
  tieCutoff?: TieValue;
}

type Text = (p: ReasonParams) => string;

const fmt = (n: number | undefined) => (n === undefined ? '?' : Number.isInteger(n) ? String(n) : n.toFixed(1));

const value = (v: TieValue | undefined) => (v === undefined || v === null ? '—' : typeof v === 'number' ? fmt(v) : v);

/** "总分相同，按语文成绩决定（录取最低位考生 118，你 112）": the clause naming the key that decided a tie, or nothing. */
export function tieClause(p: ReasonParams, lang: Lang): string {
  if (!p.tieKey) return '';
  const label = tieKeyLabel(p.tieKey, lang);
  if (p.tieKey === LOTTERY_KEY) {
    return lang === 'en' ? `; same total and equal on every tie-break, decided by ${label}` : `；总分及各项同分比较均相同，按${label}决定`;
  }
  return lang === 'en'
    ? `; same total, decided by ${label} (last admitted ${value(p.tieCutoff)}, you ${value(p.tieStudent)})`
    : `；总分相同，按${label}决定（录取最低位考生 ${value(p.tieCutoff)}，你 ${value(p.tieStudent)}）`;
}

const TEXTS: Record<ReasonCode, Record<Lang, Text>> = {
  outOfRegion: {
    'zh-CN': (p) => `该校只招收本区域学生（属地招生）${p.region ? `：限${p.region}` : ''}`,
    en: (p) => `This school admits only students of its own region${p.region ? ` (${p.region})` : ''}`,
  },
  belowMinScore: {
    'zh-CN': (p) => `总分 ${fmt(p.total)} 低于该校最低分数线 ${fmt(p.minScore)}`,
    en: (p) => `Total ${fmt(p.total)} is below the school's minimum score ${fmt(p.minScore)}`,
  },
  belowMinEvaluation: {
    'zh-CN': (p) => `综合素质评价 ${p.evaluation ?? '?'} 低于该校要求的 ${p.minEvaluation ?? '?'}`,
    en: (p) => `Evaluation grade ${p.evaluation ?? '?'} is below the required ${p.minEvaluation ?? '?'}`,
  },
  notQuotaEligible: {
    'zh-CN': () => '不具备指标生资格（学籍须自初一起在本初中）',
    en: () => 'Not eligible for quota seats (学籍 at this junior school since the first year is required)',
  },
  noQuotaForJunior: {
    'zh-CN': () => '该校没有分配给你所在初中的指标生名额',
    en: () => 'The school has no quota seats for your junior school',
  },
  belowQuotaMinScore: {
    'zh-CN': (p) => `总分 ${fmt(p.total)} 低于指标生最低分数线 ${fmt(p.minScore)}`,
    en: (p) => `Total ${fmt(p.total)} is below the quota-seat minimum score ${fmt(p.minScore)}`,
  },
  belowQuotaMinEvaluation: {
    'zh-CN': (p) => `综合素质评价 ${p.evaluation ?? '?'} 低于指标生要求的 ${p.minEvaluation ?? '?'}`,
    en: (p) => `Evaluation grade ${p.evaluation ?? '?'} is below the quota-seat requirement ${p.minEvaluation ?? '?'}`,
  },
  openFull: {
    'zh-CN': (p) =>
      p.cutoff === undefined
        ? '统招名额已被排位更靠前的考生录满'
        : `统招名额已录满：录取最低分 ${fmt(p.cutoff)}，你的总分 ${fmt(p.total)}${tieClause(p, 'zh-CN')}`,
    en: (p) =>
      p.cutoff === undefined
        ? 'Open seats were all taken by students ranked ahead of you'
        : `Open seats full: cutoff ${fmt(p.cutoff)}, your total ${fmt(p.total)}${tieClause(p, 'en')}`,
  },
  noOpenSeats: {
    'zh-CN': () => '该校没有统招名额',
    en: () => 'The school has no open seats',
  },
  quotaFull: {
    'zh-CN': (p) =>
      p.cutoff === undefined
        ? '你所在初中的指标生名额已被排位更靠前的同校考生录满'
        : `你所在初中的指标生名额已录满：指标最低分 ${fmt(p.cutoff)}，你的总分 ${fmt(p.total)}${tieClause(p, 'zh-CN')}`,
    en: (p) =>
      p.cutoff === undefined
        ? "Your junior school's quota seats were taken by its students ranked ahead of you"
        : `Your junior school's quota seats are full: cutoff ${fmt(p.cutoff)}, your total ${fmt(p.total)}${tieClause(p, 'en')}`,
  },
  revertedFull: {
    'zh-CN': (p) =>
      p.cutoff === undefined ? '回流名额已录满' : `回流名额已录满：录取最低分 ${fmt(p.cutoff)}，你的总分 ${fmt(p.total)}${tieClause(p, 'zh-CN')}`,
    en: (p) =>
      p.cutoff === undefined ? 'Reverted seats were full' : `Reverted seats full: cutoff ${fmt(p.cutoff)}, your total ${fmt(p.total)}${tieClause(p, 'en')}`,
  },
  unknownSchool: {
    'zh-CN': (p) => `学校 ${p.school ?? ''} 不存在或本年度未公布招生计划`,
    en: (p) => `School ${p.school ?? ''} does not exist or has no published plan this year`,
  },
  wrongBatch: {
    'zh-CN': (p) => `该校属于第 ${p.schoolBatch ?? '?'} 批次，不能填在第 ${p.batch ?? '?'} 批次`,
    en: (p) => `The school is in batch ${p.schoolBatch ?? '?'}, not batch ${p.batch ?? '?'}`,
  },
  duplicate: {
    'zh-CN': () => '同一学校不能重复填报',
    en: () => 'The same school cannot be listed twice',
  },
  tooMany: {
    'zh-CN': (p) => `第 ${p.batch ?? '?'} 批次最多填报 ${p.max ?? '?'} 所学校`,
    en: (p) => `Batch ${p.batch ?? '?'} allows at most ${p.max ?? '?'} schools`,
  },
  noSeatsLeft: {
    'zh-CN': () => '该校已没有剩余名额',
    en: () => 'The school has no seats left',
  },
  ineligible: {
    'zh-CN': () => '不符合该校的录取条件',
    en: () => 'You do not meet the school\'s requirements',
  },
};

/** The sentence for a reason in a language, with its numbers. */
export function reasonText(code: ReasonCode, lang: Lang, params: ReasonParams = {}): string {
  const texts = TEXTS[code];
  return texts ? texts[lang](params) : code;
}

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && Object.hasOwn(TEXTS, value);
}
