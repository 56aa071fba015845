import { describe, expect, it } from 'vitest';
import { nameProblems, publicNameForms, stripPlaces } from './names';

const context = { publicSchools: [{ name: '芦淞区第一幼儿园', regionCode: 'LS' }, { name: '株洲市第二中学', regionCode: 'HT' }, { name: '芦淞区月塘幼儿园', regionCode: 'LS' }], placeNames: ['株洲市', '芦淞区'] };
const kinds = (name: string, nature: 'public' | 'puhui_private' | 'private' = 'private') => nameProblems(name, nature, context).map((p) => `${p.kind}:${p.word}`);

describe('kindergarten names (§15)', () => {
  it('accepts ordinary names', () => {
    for (const name of ['月塘阳光幼儿园', '芦淞区金色摇篮幼儿园', '唯一幼儿园', '月塘童趣幼儿园']) expect(kinds(name), name).toEqual([]);
  });

  it('finds grand words, curriculum words, foreign words and places, religious terms', () => {
    expect(kinds('中华世界幼儿园')).toEqual(['grand:中华', 'grand:世界']);
    expect(kinds('小天才双语艺术幼儿园')).toEqual(['curriculum:双语', 'curriculum:艺术']);
    expect(kinds('Happy Kids幼儿园')).toEqual(['foreign:Happy']);
    expect(kinds('哈佛摇篮幼儿园')).toEqual(['foreign:哈佛']);
    expect(kinds('福音幼儿园')).toEqual(['religious:福音']);
    expect(kinds('私塾国学堂', 'public')).toEqual(['curriculum:国学', 'curriculum:私塾']);
  });

  it('finds a private kindergarten using a public school\'s name or abbreviation', () => {
    expect(kinds('芦淞区月塘幼儿园分园')).toEqual(['public_name:芦淞区月塘幼儿园']);
    expect(kinds('芦淞一幼阳光分园')).toEqual(['public_name:芦淞一幼']);
    expect(kinds('株洲二中阳光幼儿园')).toEqual(['public_name:株洲二中']);
    expect(kinds('芦淞区月塘幼儿园分园', 'public')).toEqual([]);
  });

  it('builds the forms of a public name', () => {
    expect(stripPlaces('株洲市芦淞区第一幼儿园', ['株洲市', '芦淞区'])).toBe('第一幼儿园');
    expect(publicNameForms({ name: '株洲市第二中学', regionCode: 'HT' }, ['株洲市'])).toEqual(['株洲市第二中学', '二中', '株洲二中']);
    expect(publicNameForms({ name: '芦淞区第一幼儿园', regionCode: 'LS' }, ['芦淞区'])).toEqual(['芦淞区第一幼儿园', '芦淞一幼']);
  });
});
