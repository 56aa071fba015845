import { describe, expect, it } from 'vitest';
import { keepsMainSeat, placementsAtSchool, yearOfStudents, yearRules, type RoundPlacementRow } from './year-placements';

const main = (studentId: string, highSchoolId: string | null, decision: 'confirmed' | 'declined' | null = null): RoundPlacementRow => ({
  round: 'main',
  studentId,
  highSchoolId,
  seat: highSchoolId ? 'open' : null,
  batch: highSchoolId ? 1 : null,
  decision,
});
const supp = (studentId: string, highSchoolId: string | null): RoundPlacementRow => ({ round: 'supplementary', studentId, highSchoolId, seat: highSchoolId ? 'open' : null, batch: highSchoolId ? 2 : null, decision: null });

const rows = [
  main('kept', 'H1', 'confirmed'),
  main('silent', 'H1'),
  main('decliner', 'H1', 'declined'),
  supp('decliner', 'H2'),
  main('unplaced', null),
  supp('unplaced', 'H1'),
  main('again', 'H1', 'declined'),
  supp('again', 'H1'),
];

describe('yearOfStudents', () => {
  it('holds the 补录 seat over a given-up round-1 seat, and a kept round-1 seat', () => {
    const years = yearOfStudents(rows, { silenceIsDecline: false, confirmationOver: true });
    expect(years.get('kept')!.holds).toMatchObject({ highSchoolId: 'H1', round: 'main' });
    expect(years.get('silent')!.holds).toMatchObject({ highSchoolId: 'H1', round: 'main' });
    expect(years.get('decliner')!.holds).toMatchObject({ highSchoolId: 'H2', round: 'supplementary' });
    expect(years.get('decliner')!.main).toMatchObject({ highSchoolId: 'H1', answer: 'declined', keeps: false });
    expect(years.get('unplaced')!.holds).toMatchObject({ highSchoolId: 'H1', round: 'supplementary' });
  });

  it('counts silence as the policy says once the confirmation window is over', () => {
    expect(keepsMainSeat(null, { silenceIsDecline: true, confirmationOver: false })).toBe(true);
    expect(keepsMainSeat(null, { silenceIsDecline: true, confirmationOver: true })).toBe(false);
    expect(keepsMainSeat(null, { silenceIsDecline: false, confirmationOver: true })).toBe(true);
    expect(keepsMainSeat('declined', { silenceIsDecline: false, confirmationOver: false })).toBe(false);
    const years = yearOfStudents(rows, yearRules({ silenceCountsAsDecline: true }, 'registration'));
    expect(years.get('silent')!.holds).toBeNull();
    expect(yearOfStudents(rows, yearRules({ silenceCountsAsDecline: true }, 'confirmation')).get('silent')!.holds).not.toBeNull();
  });
});

describe('placementsAtSchool', () => {
  it('lists round 1 with each answer, then 补录; only seats held count', () => {
    const years = yearOfStudents(rows, { silenceIsDecline: false, confirmationOver: true });
    const h1 = placementsAtSchool(years.values(), 'H1');
    expect(h1.map((p) => [p.studentId, p.round, p.answer, p.holdsSeat])).toEqual([
      ['kept', 'main', 'confirmed', true],
      ['silent', 'main', 'pending', true],
      ['decliner', 'main', 'declined', false],
      ['again', 'main', 'declined', false],
      ['unplaced', 'supplementary', null, true],
      ['again', 'supplementary', null, true],
    ]);
    expect(placementsAtSchool(years.values(), 'H2').map((p) => [p.studentId, p.round])).toEqual([['decliner', 'supplementary']]);
  });
});
