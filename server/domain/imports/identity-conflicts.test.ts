import { describe, expect, it } from 'vitest';
import { identityConflictProblems, identityProblems, type StudentRecord } from './rows';

const record = (row: number, examNo: string, idCardNo: string) => ({ row, examNo, idCardNo }) as StudentRecord;

describe('identityConflictProblems (the database finds the conflicts, the messages are identityProblems\')', () => {
  it('gives the same problems as identityProblems for the same stored students', () => {
    const records = [record(2, 'A0001', '430202200001010011'), record(3, 'A0002', '430202200001010022'), record(4, 'A0003', '430202200001010033')];
    const stored = [
      { examNo: 'a0001', idCardNo: '430202200001010099', cycleId: 'old' },
      { examNo: 'B0009', idCardNo: '430202200001010022', cycleId: 'now' },
      { examNo: 'A0003', idCardNo: '430202200001010033', cycleId: 'now' },
    ];
    const fromRecords = identityProblems(records, stored, 'now');
    const fromConflicts = identityConflictProblems({
      otherCycle: [{ row: 2, examNo: 'A0001' }],
      heldIdCards: [{ row: 3, idCardNo: '430202200001010022', otherExamNo: 'b0009' }],
    });
    expect(fromConflicts).toEqual(fromRecords);
    expect(fromConflicts.map((p) => p.row)).toEqual([2, 3]);
    expect(JSON.stringify(fromConflicts)).not.toContain('430202200001010022');
  });

  it('reports a row once, and an exam number of another cycle before its ID number', () => {
    const problems = identityConflictProblems({
      otherCycle: [{ row: 5, examNo: 'X1' }, { row: 5, examNo: 'X1' }],
      heldIdCards: [{ row: 5, idCardNo: '430202200001010011', otherExamNo: 'Y' }, { row: 4, idCardNo: '430202200001010011', otherExamNo: 'Y' }, { row: 4, idCardNo: '430202200001010011', otherExamNo: 'Z' }],
    });
    expect(problems.map((p) => [p.row, p.column.en])).toEqual([[4, 'ID number'], [5, 'Exam number']]);
  });
});
