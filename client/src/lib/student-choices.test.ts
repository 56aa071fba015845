import { describe, expect, it } from 'vitest';
import { canAdd, move, removeAt, sameChoices } from './student-choices';

const ok = { id: 'H1', batch: 1, canList: true, refusal: [] };
const refused = { id: 'H9', batch: 1, canList: false, refusal: [{ code: 'outOfRegion', message: '该校只招收本区域学生' }] };

describe('canAdd', () => {
  it('adds an eligible school with room left', () => {
    expect(canAdd([], ok, 1, 4)).toEqual({ ok: true });
  });
  it('refuses an ineligible school with the server reasons', () => {
    expect(canAdd([], refused, 1, 4)).toEqual({ ok: false, code: 'ineligible', messages: ['该校只招收本区域学生'] });
  });
  it('refuses duplicates, a full batch and another batch', () => {
    expect(canAdd(['H1'], ok, 1, 4)).toMatchObject({ ok: false, code: 'duplicate' });
    expect(canAdd(['A', 'B'], ok, 1, 2)).toMatchObject({ ok: false, code: 'full' });
    expect(canAdd([], ok, 2, 4)).toMatchObject({ ok: false, code: 'wrongBatch' });
  });
});

describe('list editing', () => {
  it('moves, removes and compares', () => {
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(removeAt(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
    expect(sameChoices({ '1': ['a'], '2': [] }, { '1': ['a'] })).toBe(true);
    expect(sameChoices({ '1': ['a', 'b'] }, { '1': ['b', 'a'] })).toBe(false);
  });
});
