/**
 * The rows of a round in PostgreSQL's COPY text format: the applicants a round
 * reads (COPY … TO STDOUT) and the assignment and text rows it writes (COPY …
 * FROM STDIN). Pure text, no connection: the round's computation thread
 * (server/infra/round-compute.worker.ts) decodes and encodes with these, and
 * the repository (round.repository.ts) runs the statements.
 */
import type { Grade } from '../domain/allocation/types';
import type { StudentRow } from '../domain/rounds/round-input';

/** COPY text format of one field: backslash, newline, carriage return and tab escaped; null as \N. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return copyEscape(value);
}

/** COPY text escaping of a piece of a field; safe on any split of the text (no escape spans two pieces). */
export function copyEscape(text: string): string {
  return /[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : text;
}

export interface ApplicantsQuery {
  cycleId: string;
  kind: 'main' | 'supplementary';
  /** The last save before this counts. */
  deadline: Date;
}

/**
 * The students of a cycle with a submitted (or frozen) application of a kind,
 * each with the choices that count: the last save before the deadline (an
 * application without saved versions counts with its current choices; one
 * whose every save came later does not count), as one COPY … TO STDOUT
 * statement whose lines `applicantFromCopyLine` reads. `literal` quotes a value
 * (the connection's escapeLiteral): COPY takes no parameters.
 *
 * Every save writes the application's choices and time (submittedAt) and its
 * version row in one statement (application.repository.ts), so an application
 * last saved before the deadline counts with its current choices: only the
 * others look up their versions (a lookup per student took most of the time).
 */
export function applicantsCopySql(query: ApplicantsQuery, literal: (value: string) => string): string {
  const kind = query.kind === 'main' ? `'main'` : `'supplementary'`;
  const deadline = `${literal(query.deadline.toISOString())}::timestamp`;
  const lastSaveBefore = `SELECT x.choices FROM "ApplicationVersion" x WHERE x."applicationId" = a.id AND x."savedAt" < ${deadline} ORDER BY x.version DESC LIMIT 1`;
  // One JSON array per line (see applicantReader), in CSV format with a delimiter and quote no JSON text
  // contains (PostgreSQL writes control characters in JSON as \u00XX): each line is the JSON text as is.
  return `COPY (
    SELECT json_build_array(s.id, s."examNo", s."juniorSchoolId", s."regionCode", s.total, s.scores, s.evaluation, s."quotaEligible",
           CASE WHEN a."submittedAt" < ${deadline} THEN a.choices ELSE (${lastSaveBefore}) END)
    FROM "Application" a
    JOIN "Student" s ON s.id = a."studentId"
    WHERE a."cycleId" = ${literal(query.cycleId)} AND a.kind = ${kind}::"ApplicationKind" AND a.status IN ('submitted', 'frozen')
      AND (a."submittedAt" < ${deadline}
           OR EXISTS (SELECT 1 FROM "ApplicationVersion" x WHERE x."applicationId" = a.id AND x."savedAt" < ${deadline})
           OR NOT EXISTS (SELECT 1 FROM "ApplicationVersion" y WHERE y."applicationId" = a.id))
  ) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`;
}

/** Memory for the applicants' join (the default 4 MB spills a province's to disk): set for the run's transaction only. */
export const APPLICANTS_WORK_MEM = `SET LOCAL work_mem = '256MB'`;

type ApplicantArray = [string, string, string, string, number, unknown, string, boolean, unknown];

/**
 * Reads `applicantsCopySql`'s output, arriving as bytes in arbitrary pieces: each run of
 * whole lines is decoded and read by one JSON.parse (one array per line), handed row by
 * row to `onRow` as `StudentRow`s. Lines are found in the bytes (a newline byte is never
 * part of a longer UTF-8 character), so only whole lines are ever decoded.
 */
export function applicantReader(onRow: (row: StudentRow) => void) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest: Uint8Array = new Uint8Array(0);
  const rows = (bytes: Uint8Array) => {
    if (bytes.length === 0) return;
    const text = decoder.decode(bytes);
    for (const [studentId, examNo, juniorSchoolId, regionCode, total, scores, evaluation, quotaEligible, choices] of JSON.parse(
      `[${text.replaceAll('\n', ',')}]`,
    ) as ApplicantArray[]) {
      onRow({ studentId, examNo, juniorSchoolId, regionCode, total, scores, evaluation: evaluation as Grade, quotaEligible, choices });
    }
  };
  return {
    push(bytes: Uint8Array): void {
      const end = bytes.lastIndexOf(NEWLINE);
      if (end < 0) {
        rest = joined(rest, bytes);
        return;
      }
      rows(joined(rest, bytes.subarray(0, end)));
      rest = bytes.slice(end + 1);
    },
    end(): void {
      rows(rest.length > 0 && rest[rest.length - 1] === NEWLINE ? rest.subarray(0, -1) : rest);
      rest = new Uint8Array(0);
    },
  };
}

const NEWLINE = 0x0a;

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The columns `assignmentCopyLine` writes, in order. */
export const ASSIGNMENT_COPY_COLUMNS = '"roundId", "studentId", "highSchoolId", "seat", "batch", "explanation"';

/**
 * One RoundAssignment row as a COPY line. `round` is copyField(roundId); `placed` the school's
 * fields already as COPY text (highSchoolId, seat, batch), or null; `explanation` the
 * explanation's JSON text already COPY-escaped, or null: done once per school or entry, not per row.
 */
export function assignmentCopyLine(round: string, studentId: string, placed: string | null, explanation: string | null): string {
  return `${round}\t${copyField(studentId)}\t${placed ?? '\\N\t\\N\t\\N'}\t${explanation ?? '\\N'}\n`;
}

/** The school's fields of assignmentCopyLine (highSchoolId, seat, batch) as COPY text. */
export function placedCopyFields(school: string, seat: string, batch: number): string {
  return `${copyField(school)}\t${copyField(seat)}\t${batch}`;
}
