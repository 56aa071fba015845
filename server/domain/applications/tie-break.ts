/**
 * Which tie-break decided between two students with the same total
 * (ALLOCATION.md §2.1: total, then each key of `policy.tieBreak` in turn,
 * then the seeded lottery). A family told "cutoff 719, your total 719" must
 * also be told what put the last admitted student ahead: "same total; decided
 * by Chinese score".
 */
import { GRADE_LETTER } from '../allocation/compile';
import { tieBreakValue } from '../allocation/priority';

/** A tie-break value as a round's result shows it (PriorityView.tieBreak): a number, a grade letter, or null when missing. */
export type TieValue = number | string | null;

/** The key that decided a tie: a key of `policy.tieBreak`, or `lottery` when every key was equal. */
export interface TieDecision {
  key: string;
  /** The student's value of that key (absent for the lottery). */
  student?: TieValue;
  /** The value of the student who got the last seat (absent for the lottery). */
  cutoff?: TieValue;
}

export const LOTTERY_KEY = 'lottery';

const gradeNumber = (letter: string): number => {
  const n = (GRADE_LETTER as readonly string[]).indexOf(letter);
  return n > 0 ? n : 0;
};

/** Pure: a value as a comparable number, higher is better: grades by rank (A highest), missing lowest. */
export function comparable(value: TieValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return gradeNumber(value);
  return -Infinity;
}

/** Pure: a student's values of the tie-break keys, as the round's result writes them (grades as letters, missing as null). */
export function tieBreakValues(keys: readonly string[], student: { evaluation: string; scores: unknown }): TieValue[] {
  const scores = student.scores && typeof student.scores === 'object' ? (student.scores as Record<string, number | null>) : null;
  return keys.map((key) => {
    if (key === 'evaluation') return GRADE_LETTER[gradeNumber(student.evaluation)] || null;
    const v = tieBreakValue(key, 0, scores);
    return v === -Infinity ? null : v;
  });
}

/**
 * Pure: the first key on which the two students differ (the one that decided
 * their order), or the lottery when they are equal on every key. Both value
 * lists follow `keys`; a shorter list counts its missing values as missing.
 */
export function decidingKey(keys: readonly string[], student: readonly TieValue[], cutoff: readonly TieValue[]): TieDecision {
  for (let i = 0; i < keys.length; i++) {
    const s = comparable(student[i]);
    const c = comparable(cutoff[i]);
    if (s !== c) return { key: keys[i], student: student[i] ?? null, cutoff: cutoff[i] ?? null };
  }
  return { key: LOTTERY_KEY };
}

/** Subject names of the usual score keys. */
export const SUBJECT_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  chinese: { 'zh-CN': '语文', en: 'Chinese' },
  math: { 'zh-CN': '数学', en: 'Math' },
  english: { 'zh-CN': '英语', en: 'English' },
  physics: { 'zh-CN': '物理', en: 'Physics' },
  chemistry: { 'zh-CN': '化学', en: 'Chemistry' },
  politics: { 'zh-CN': '道德与法治', en: 'Politics' },
  history: { 'zh-CN': '历史', en: 'History' },
  geography: { 'zh-CN': '地理', en: 'Geography' },
  biology: { 'zh-CN': '生物', en: 'Biology' },
  pe: { 'zh-CN': '体育', en: 'PE' },
};

/** Pure: a tie-break key in words, e.g. `math` → 数学成绩, `chinese+math+english` → 语文+数学+英语总分, `evaluation` → 综合素质评价. */
export function tieKeyLabel(key: string, lang: 'zh-CN' | 'en'): string {
  if (key === LOTTERY_KEY) return lang === 'en' ? 'the published lottery number' : '公开随机号（抽签）';
  if (key === 'evaluation') return lang === 'en' ? 'evaluation grade' : '综合素质评价';
  const parts = key.split('+').map((p) => SUBJECT_NAMES[p]?.[lang] ?? p);
  if (parts.length > 1) return lang === 'en' ? `${parts.join(' + ')} total` : `${parts.join('+')}总分`;
  return lang === 'en' ? `${parts[0]} score` : `${parts[0]}成绩`;
}
