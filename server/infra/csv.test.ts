import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, forEachCsvRecord } from './csv';

function records(text: string, separator: ',' | '\t' = ','): string[][] {
  const out: string[][] = [];
  forEachCsvRecord(text, separator, (cells, i) => {
    expect(i).toBe(out.length);
    out.push(cells);
  });
  return out;
}

describe('forEachCsvRecord', () => {
  it('reads plain records with LF, CRLF and CR line ends, trimming unquoted fields and dropping a BOM', () => {
    expect(records('\ufeffa,b\n1, 2 \r\n3,4\r5,6')).toEqual([['a', 'b'], ['1', '2'], ['3', '4'], ['5', '6']]);
    expect(records('a,b\n1,2\n')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('keeps an empty line as a record of one empty cell (row numbers stay those of the spreadsheet), and records of any length', () => {
    expect(records('a,b\n\n1\n1,2,3\n')).toEqual([['a', 'b'], [''], ['1'], ['1', '2', '3']]);
    expect(records('a,,\n')).toEqual([['a', '', '']]);
  });

  it('reads quoted fields with separators, doubled quotes and line breaks inside', () => {
    expect(records('"a,1","say ""hi""","two\nlines"\n x ,"y" \n')).toEqual([['a,1', 'say "hi"', 'two\nlines'], ['x', 'y']]);
    expect(records('""\n')).toEqual([['']]);
  });

  it('reads tab separated text (Excel\'s Unicode text)', () => {
    expect(records('姓名\t性别\n张三\t男\n', '\t')).toEqual([['姓名', '性别'], ['张三', '男']]);
  });

  it('refuses a quote left open, text after a closing quote and a quote inside an unquoted field, naming the line', () => {
    for (const [text, line] of [
      // A quote left open is found where the text ends inside it.
      ['a,b\n1,"open\n2,3\n', 3],
      ['a,b\n"x"y,2\n', 2],
      ['a,b\n1,2\n3,4"5\n', 3],
    ] as const) {
      let error: unknown;
      try {
        records(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CsvSyntaxError);
      expect((error as CsvSyntaxError).line).toBe(line);
    }
  });

  it('returns the number of records and reads nothing from empty text', () => {
    expect(forEachCsvRecord('', ',', () => {})).toBe(0);
    expect(forEachCsvRecord('a\nb\n', ',', () => {})).toBe(2);
  });
});
