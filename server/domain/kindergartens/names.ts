/**
 * Kindergarten names (幼儿园名称, the city's preschool plan §15): no 中国, 中华,
 * 全国, 国际, 世界, 全球; no foreign words nor foreign country or place names; no
 * 双语, 艺术, 国学, 私塾 nor religious terms; and a private kindergarten must not
 * use a public school's name or its abbreviation. The word lists live here only.
 */
import type { KindergartenNature, PublicSchoolName } from './types';

/** Words that claim a national or world standing. */
export const GRAND_WORDS = ['中国', '中华', '全国', '国际', '世界', '全球'] as const;

/** Words that advertise a curriculum the plan does not allow in a name. */
export const CURRICULUM_WORDS = ['双语', '艺术', '国学', '私塾'] as const;

/** Foreign countries, regions, cities and famous foreign names seen on kindergartens' signs. */
export const FOREIGN_PLACES = [
  '美国', '英国', '法国', '德国', '日本', '韩国', '俄罗斯', '加拿大', '澳大利亚', '澳洲', '新西兰', '意大利', '西班牙', '葡萄牙',
  '瑞士', '瑞典', '荷兰', '丹麦', '芬兰', '挪威', '比利时', '奥地利', '希腊', '爱尔兰', '新加坡', '马来西亚', '泰国', '印度',
  '欧洲', '北欧', '欧美', '美洲', '非洲', '英伦', '美式', '英式', '欧式', '法式',
  '伦敦', '巴黎', '纽约', '东京', '首尔', '柏林', '罗马', '米兰', '威尼斯', '维也纳', '悉尼', '墨尔本', '温哥华', '多伦多',
  '华盛顿', '曼哈顿', '好莱坞', '加州', '硅谷', '夏威夷', '波士顿', '芝加哥', '洛杉矶', '旧金山', '大阪', '爱丁堡', '阿尔卑斯', '普罗旺斯',
  '哈佛', '剑桥', '牛津', '耶鲁', '普林斯顿', '斯坦福', '伊顿', '迪士尼', '蒙特梭利', '蒙台梭利', '福禄贝尔',
] as const;

/** Religious terms. */
export const RELIGIOUS_WORDS = [
  // Not 佛 alone: it is in 哈佛 (Harvard), a foreign name of its own.
  '佛教', '佛学', '佛堂', '佛光', '菩萨', '观音', '如来', '弥勒', '罗汉', '寺', '庙', '庵', '禅', '道观', '道教', '喇嘛', '活佛',
  '基督', '耶稣', '天主', '圣经', '圣母', '教会', '福音', '弥撒', '修道', '牧师', '伊斯兰', '清真', '穆斯林', '真主', '古兰',
] as const;

/** Words too common in school names to count as borrowing a public school's name. */
const GENERIC_STEMS = new Set(['实验', '中心', '机关', '示范', '第一', '第二', '第三', '第四', '第五', '第六', '第七', '第八', '第九', '第十', '附属', '城关', '中学', '小学', '幼儿园', '高级中学', '学校']);

/** Words that make a stem a school's own name rather than a place's. */
const DISTINCTIVE = /实验|中心|机关|示范|附属|第[一二三四五六七八九十]/;

const SUFFIXES = ['高级中学', '幼儿园', '中学', '小学', '学校', '幼稚园'];
const ORDINALS = '一二三四五六七八九十';

export interface NameProblem {
  /** What kind of word: grand | curriculum | foreign | religious | public_name */
  kind: 'grand' | 'curriculum' | 'foreign' | 'religious' | 'public_name';
  /** The word as found in the name. */
  word: string;
  zh: string;
  en: string;
}

/** The name without the place names it starts with (株洲市, 芦淞区…), and the places stripped, in order. */
export function splitPlaces(name: string, placeNames: readonly string[]): { rest: string; places: string[] } {
  const places = [...placeNames].flatMap((p) => [p, p.replace(/[市区县]$/, '')]).filter((p) => p.length >= 2).sort((a, b) => b.length - a.length);
  let rest = name.trim();
  const stripped: string[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of places) {
      if (rest.startsWith(p) && rest.length > p.length) {
        rest = rest.slice(p.length);
        stripped.push(p);
        changed = true;
      }
    }
  }
  return { rest, places: stripped };
}

/** The name without the place names it starts with. */
export function stripPlaces(name: string, placeNames: readonly string[]): string {
  return splitPlaces(name, placeNames).rest;
}

/**
 * The forms of a public school's name a private kindergarten must not use:
 * the name itself, the name without the place names it starts with, its stem
 * when that holds a school word (月塘实验, 月塘中心), and the usual abbreviations of
 * ordinal names (株洲市第二中学 → 株洲二中 and 二中; 芦淞区第一幼儿园 → 芦淞一幼).
 */
export function publicNameForms(school: PublicSchoolName, placeNames: readonly string[]): string[] {
  const forms = new Set<string>([school.name]);
  const { rest: bare, places } = splitPlaces(school.name, placeNames);
  const suffix = SUFFIXES.find((s) => bare.endsWith(s) && bare.length > s.length);
  const stem = suffix ? bare.slice(0, -suffix.length) : bare;
  if (stem.length >= 2 && !GENERIC_STEMS.has(stem)) {
    // 月塘幼儿园 is the school's own; 月塘 alone is a place anyone may name a kindergarten after.
    if (suffix) forms.add(bare);
    // A stem with a school word (月塘实验, 月塘中心) is the public school's name.
    if (DISTINCTIVE.test(stem)) forms.add(stem);
  }
  const ordinal = new RegExp(`^第([${ORDINALS}]+)$`).exec(stem);
  if (ordinal && suffix) {
    const short = suffix === '幼儿园' || suffix === '幼稚园' ? '幼' : suffix === '小学' ? '小' : '中';
    // 二中 alone is a name; 一幼 alone is too common a pair of characters (唯一幼儿园), so only with its place (芦淞一幼).
    if (short === '中') forms.add(`${ordinal[1]}${short}`);
    const place = places.at(-1)?.replace(/[市区县]$/, '');
    if (place) forms.add(`${place}${ordinal[1]}${short}`);
  }
  return [...forms].filter((f) => f.length >= 2);
}

/** Every problem of a kindergarten's name under §15; empty for a good name. */
export function nameProblems(
  name: string,
  nature: KindergartenNature,
  context: { publicSchools: readonly PublicSchoolName[]; placeNames: readonly string[]; selfName?: string },
): NameProblem[] {
  const problems: NameProblem[] = [];
  const text = name.normalize('NFKC');
  for (const word of GRAND_WORDS) if (text.includes(word)) problems.push({ kind: 'grand', word, zh: `名称含“${word}”`, en: `the name contains "${word}"` });
  for (const word of CURRICULUM_WORDS) if (text.includes(word)) problems.push({ kind: 'curriculum', word, zh: `名称含“${word}”`, en: `the name contains "${word}"` });
  const latin = /[A-Za-z]{2,}/.exec(text);
  if (latin) problems.push({ kind: 'foreign', word: latin[0], zh: `名称含外文“${latin[0]}”`, en: `the name contains the foreign word "${latin[0]}"` });
  for (const word of FOREIGN_PLACES) if (text.includes(word)) problems.push({ kind: 'foreign', word, zh: `名称含外国国名或地名“${word}”`, en: `the name contains the foreign place name "${word}"` });
  for (const word of RELIGIOUS_WORDS) if (text.includes(word)) problems.push({ kind: 'religious', word, zh: `名称含宗教用语“${word}”`, en: `the name contains the religious term "${word}"` });
  if (nature !== 'public') {
    const bare = stripPlaces(text, context.placeNames);
    for (const school of context.publicSchools) {
      if (school.name === (context.selfName ?? name)) continue;
      const form = publicNameForms(school, context.placeNames)
        .sort((a, b) => b.length - a.length)
        .find((f) => text.includes(f) || bare.includes(f));
      if (form) {
        problems.push({ kind: 'public_name', word: form, zh: `民办园使用公办学校“${school.name}”的名称或简称“${form}”`, en: `a private kindergarten using the name or abbreviation "${form}" of the public school "${school.name}"` });
        break;
      }
    }
  }
  return problems;
}
