import { maskIdNumbersInText } from '../flags/redact';

/**
 * 报到/学籍注册: which registrations a high school may make. A school may
 * register only students who hold a seat there as the year stands: round 1's
 * seat not given up, or a 补录 seat. Every refused
 * attempt is kept as evidence for the flag rules (未录取注册), so the decision
 * comes with a reason code that is stored as is.
 */

/** Why a registration is refused; stored in EnrollmentRegistration.rejectionReason. */
export const REFUSAL_REASONS = ['unknown_student', 'not_admitted', 'admitted_elsewhere', 'declined'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const REFUSAL_MESSAGES: Record<RefusalReason, { 'zh-CN': string; en: string }> = {
  unknown_student: { 'zh-CN': '本年度没有这个准考证号的考生', en: 'no candidate of this cycle has this exam number' },
  not_admitted: { 'zh-CN': '该生未被任何学校录取，不能注册', en: 'the student was not admitted by any school' },
  admitted_elsewhere: { 'zh-CN': '该生未被本校录取（已被其他学校录取），不能注册', en: 'the student was admitted by another school, not this one' },
  declined: { 'zh-CN': '该生已放弃本校录取资格，不能注册', en: 'the student declined the seat at this school' },
};

/**
 * Where a student stands in the year (admissions/year-placements.ts): the
 * seat held now (a round-1 seat not given up, or a 补录 seat) and the round-1
 * school given up, if any.
 */
export interface Placement {
  /** The school of the seat held as the year stands; null when none. */
  holds: string | null;
  /** The round-1 school whose seat the student gave up (declined, or silent where silence declines). */
  gaveUp: string | null;
}

export type RegistrationDecision =
  | { accepted: true; studentId: string }
  | { accepted: false; studentId: string | null; reason: RefusalReason };

/**
 * Pure: whether `highSchoolId` may register this student: only where the
 * student holds a seat as the year stands, so a 补录 placement is accepted
 * and a round-1 seat given up is not. `student` is null when the exam number
 * matches no student of the cycle.
 */
export function decideRegistration(
  highSchoolId: string,
  student: { id: string } | null,
  placement: Placement | null,
): RegistrationDecision {
  if (!student) return { accepted: false, studentId: null, reason: 'unknown_student' };
  if (placement?.holds === highSchoolId) return { accepted: true, studentId: student.id };
  if (placement?.gaveUp === highSchoolId) return { accepted: false, studentId: student.id, reason: 'declined' };
  if (placement?.holds) return { accepted: false, studentId: student.id, reason: 'admitted_elsewhere' };
  return { accepted: false, studentId: student.id, reason: 'not_admitted' };
}

/** Pure: a student's Placement from their year. */
export function placementOf(year: { main?: { highSchoolId: string | null; keeps: boolean }; holds: { highSchoolId: string } | null } | undefined): Placement | null {
  if (!year) return null;
  const gaveUp = year.main?.highSchoolId && !year.main.keeps ? year.main.highSchoolId : null;
  return { holds: year.holds?.highSchoolId ?? null, gaveUp };
}

export interface ImportProblem {
  /** 1-based row number in the file. */
  row: number;
  message: { 'zh-CN': string; en: string };
}

export interface ParsedImport {
  entries: { row: number; examNo: string }[];
  problems: ImportProblem[];
}

const HEADER = /^(准考证号|考号|exam\s*_?(no|number)|examno)$/i;
/** What an exam number looks like: letters, digits and - _, 4 to 32 characters. */
const EXAM_NO = /^[A-Za-z0-9_-]{4,32}$/;
export const MAX_IMPORT_ROWS = 5_000;

/**
 * Pure: the exam numbers of an uploaded list (rows of cells as text). The
 * column is the one headed 准考证号 (or "exam no"); without such a header the
 * first column is taken and the first row too. Blank rows are skipped,
 * duplicates reported, malformed numbers reported with their row.
 */
export function parseExamNumberRows(rows: readonly (readonly string[])[]): ParsedImport {
  const problems: ImportProblem[] = [];
  const entries: { row: number; examNo: string }[] = [];
  const firstNonEmpty = rows.findIndex((cells) => cells.some((c) => c.trim() !== ''));
  if (firstNonEmpty < 0) {
    return { entries, problems: [{ row: 1, message: { 'zh-CN': '文件中没有数据', en: 'the file has no data' } }] };
  }
  const headerCells = rows[firstNonEmpty].map((c) => c.trim());
  let column = headerCells.findIndex((c) => HEADER.test(c));
  let start = firstNonEmpty + 1;
  if (column < 0) {
    if (!EXAM_NO.test(headerCells[0] ?? '')) {
      return {
        entries,
        problems: [
          {
            row: firstNonEmpty + 1,
            message: { 'zh-CN': '找不到“准考证号”列', en: 'no "exam number" (准考证号) column found' },
          },
        ],
      };
    }
    column = 0;
    start = firstNonEmpty;
  }
  const seen = new Map<string, number>();
  for (let i = start; i < rows.length; i++) {
    const row = i + 1;
    const examNo = (rows[i][column] ?? '').trim();
    if (examNo === '') continue;
    if (!EXAM_NO.test(examNo)) {
      // Echoed back, so an ID number pasted into the column by mistake is masked.
      const shown = maskIdNumbersInText(examNo.slice(0, 40));
      problems.push({ row, message: { 'zh-CN': `准考证号格式不正确：${shown}`, en: `malformed exam number: ${shown}` } });
      continue;
    }
    const earlier = seen.get(examNo);
    if (earlier !== undefined) {
      const shown = maskIdNumbersInText(examNo);
      problems.push({ row, message: { 'zh-CN': `准考证号 ${shown} 与第 ${earlier} 行重复`, en: `exam number ${shown} repeats row ${earlier}` } });
      continue;
    }
    seen.set(examNo, row);
    entries.push({ row, examNo });
  }
  if (entries.length > MAX_IMPORT_ROWS) {
    problems.push({ row: rows.length, message: { 'zh-CN': `一次最多导入 ${MAX_IMPORT_ROWS} 人`, en: `at most ${MAX_IMPORT_ROWS} students per import` } });
  }
  if (entries.length === 0 && problems.length === 0) {
    problems.push({ row: start + 1, message: { 'zh-CN': '文件中没有准考证号', en: 'the file lists no exam numbers' } });
  }
  return { entries, problems };
}
