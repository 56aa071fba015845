/**
 * Validated student records as lines of PostgreSQL's COPY text format, the
 * columns of the import's staging table (STUDENT_STAGE_COLUMNS): the student
 * import writes a file's records into that table with one COPY, then moves
 * them into Student, StudentJuniorHistory and User with set-based statements
 * inside its transaction. Pure: records in, text out.
 */
import type { StudentRecord } from './rows';

/** The staging table's columns, in the order stageLine writes them. */
export const STUDENT_STAGE_COLUMNS = [
  'row',
  'exam_no',
  'name',
  'id_card_no',
  'gender',
  'birth_date',
  'junior_school_id',
  'region_code',
  'scores',
  'total',
  'evaluation',
  'quota_eligible',
  'enrolled_since',
  'history',
] as const;

/** COPY text format of one field: backslash, tab, newline and carriage return escaped; null as \N. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : value;
}

/** One record as a line of the staging table (ending in a newline). Earlier stays (学籍变动) as a JSON array, null when none. */
export function stageLine(s: StudentRecord): string {
  const history = s.history.length > 0 ? JSON.stringify(s.history) : null;
  return (
    `${s.row}\t${copyText(s.examNo)}\t${copyText(s.name)}\t${copyText(s.idCardNo)}\t${s.gender}\t${s.birthDate ?? '\\N'}\t` +
    `${copyText(s.juniorSchoolId)}\t${copyText(s.regionCode)}\t${copyText(JSON.stringify(s.scores))}\t${s.total}\t${s.evaluation}\t` +
    `${s.quotaEligible ? 't' : 'f'}\t${s.enrolledSince}\t${copyText(history)}\n`
  );
}

/**
 * Collects stage lines into UTF-8 chunks of about `chunkBytes` each (buffers
 * a worker thread can hand over without copying), never one string of the
 * whole file.
 */
export function createStageWriter(chunkBytes = 4 << 20) {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let pending: string[] = [];
  let pendingLength = 0;
  let rows = 0;
  const flush = () => {
    if (pending.length === 0) return;
    chunks.push(encoder.encode(pending.join('')));
    pending = [];
    pendingLength = 0;
  };
  return {
    add(record: StudentRecord): void {
      const line = stageLine(record);
      pending.push(line);
      // Characters, not bytes: a chunk of Chinese text is up to three times this in UTF-8, which is fine.
      pendingLength += line.length;
      rows++;
      if (pendingLength >= chunkBytes / 2) flush();
    },
    /** The chunks written so far, and the number of rows; ends the writer. */
    finish(): { chunks: Uint8Array[]; rows: number } {
      flush();
      return { chunks, rows };
    },
  };
}
