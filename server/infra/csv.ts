/**
 * CSV records handed to a callback one by one, by csv-parse (sync API with
 * `on_record`, which drops each record after the callback): a province's
 * students file (800,000 rows, 17 million cells) never exists as arrays of
 * strings at once. It reads what the platform reads: comma or tab separated,
 * CRLF, LF or CR line ends, a leading BOM dropped, fields in double quotes with
 * `""` for a quote and line breaks inside, fields trimmed, records of any
 * length, and an empty line as a record of one empty cell (it keeps the row
 * numbers of the spreadsheet). Malformed quoting is refused (CsvSyntaxError,
 * with the line), never guessed at.
 */
import { CsvError, parse } from 'csv-parse/sync';

export class CsvSyntaxError extends Error {
  constructor(readonly line: number) {
    super(`malformed CSV near line ${line}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Calls `onRecord(cells, index)` for every record of `text` in order (index 0
 * is the header). `cells` is a fresh array the callback may keep. Returns the
 * number of records. Throws CsvSyntaxError; an error of `onRecord` passes through.
 */
export function forEachCsvRecord(text: string, separator: ',' | '\t', onRecord: (cells: string[], index: number) => void): number {
  let index = 0;
  try {
    parse(text, {
      delimiter: separator,
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      on_record: (record: string[]) => {
        onRecord(record, index++);
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) throw new CsvSyntaxError((error as CsvError & { lines?: number }).lines ?? 0);
    throw error;
  }
  return index;
}
