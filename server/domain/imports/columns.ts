/**
 * The import files the bureau uploads during setup (准备阶段): one sheet per
 * kind, a header row in Chinese (English names and field keys are accepted
 * too), one record per row. This module only describes the columns; parsing
 * and validation are in rows.ts.
 */
import { SUBJECTS } from '../subjects';

export const IMPORT_KINDS = ['regions', 'junior-schools', 'high-schools', 'students'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type ColumnType = 'string' | 'int' | 'number' | 'bool' | 'date' | 'evaluation' | 'ownership' | 'scope' | 'gender';

export interface ColumnSpec {
  /** The record field. */
  key: string;
  zh: string;
  en: string;
  type: ColumnType;
  required: boolean;
  min?: number;
  max?: number;
  /** For strings: the allowed shape, with a description for the error message. */
  pattern?: RegExp;
  patternHint?: { zh: string; en: string };
  /** For numbers: multiples of 0.5 allowed (half points), else integers only where type is int. */
  halfSteps?: boolean;
  /**
   * For identifiers compared across files (准考证号, 身份证号): full-width
   * characters folded (NFKC) and letters upper-cased before anything compares
   * or stores them, so `abc1234`, `ABC1234` and `ＡＢＣ１２３４` are one.
   */
  identifier?: boolean;
}

const code = { pattern: /^[A-Za-z0-9_-]{1,32}$/, patternHint: { zh: '只能包含字母、数字、下划线和短横线，最多 32 位', en: 'letters, digits, _ and - only, at most 32' } };

export const SCORE_COLUMNS: ColumnSpec[] = SUBJECTS.map((s) => ({
  key: `score.${s.key}`,
  zh: s.name,
  en: s.nameEn,
  type: 'number',
  required: true,
  min: 0,
  max: s.max,
  halfSteps: s.halfPoints,
}));

export const IMPORT_COLUMNS: Readonly<Record<ImportKind, ColumnSpec[]>> = {
  regions: [
    { key: 'code', zh: '区县代码', en: 'Region code', type: 'string', required: true, ...code },
    { key: 'name', zh: '区县名称', en: 'Region name', type: 'string', required: true, max: 50 },
    { key: 'nameEn', zh: '英文名称', en: 'English name', type: 'string', required: false, max: 100 },
    { key: 'adminCode', zh: '行政区划代码', en: 'Administrative code', type: 'string', required: false, pattern: /^\d{6}$/, patternHint: { zh: '应为 6 位数字', en: 'must be 6 digits' } },
    { key: 'rural', zh: '农村县区', en: 'Rural', type: 'bool', required: false },
  ],
  'junior-schools': [
    { key: 'id', zh: '学校代码', en: 'School code', type: 'string', required: true, ...code },
    { key: 'name', zh: '学校名称', en: 'School name', type: 'string', required: true, max: 100 },
    { key: 'regionCode', zh: '区县代码', en: 'Region code', type: 'string', required: true, ...code },
    { key: 'graduates', zh: '毕业生人数', en: 'Graduates', type: 'int', required: true, min: 0, max: 100_000 },
    { key: 'rural', zh: '农村学校', en: 'Rural', type: 'bool', required: false },
    { key: 'weightPercent', zh: '名额权重(%)', en: 'Weight (%)', type: 'int', required: false, min: 1, max: 1000 },
  ],
  'high-schools': [
    { key: 'id', zh: '学校代码', en: 'School code', type: 'string', required: true, ...code },
    { key: 'name', zh: '学校名称', en: 'School name', type: 'string', required: true, max: 100 },
    { key: 'regionCode', zh: '区县代码', en: 'Region code', type: 'string', required: true, ...code },
    { key: 'ownership', zh: '办学性质', en: 'Ownership', type: 'ownership', required: true },
    { key: 'scope', zh: '招生范围', en: 'Scope', type: 'scope', required: true },
    { key: 'quality', zh: '示范性高中', en: 'Quality school', type: 'bool', required: false },
    { key: 'capacity', zh: '计划人数', en: 'Capacity', type: 'int', required: true, min: 0, max: 100_000 },
    { key: 'classes', zh: '班级数', en: 'Classes', type: 'int', required: true, min: 0, max: 2_000 },
    { key: 'batch', zh: '批次', en: 'Batch', type: 'int', required: true, min: 1, max: 9 },
    { key: 'minScore', zh: '最低分数线', en: 'Minimum score', type: 'number', required: false, min: 0, max: 1000 },
    { key: 'minEvaluation', zh: '最低综合素质评价', en: 'Minimum evaluation', type: 'evaluation', required: false },
    { key: 'quotaPercent', zh: '指标生比例(%)', en: 'Quota percent', type: 'int', required: false, min: 0, max: 100 },
    { key: 'quotaSeats', zh: '指标生名额', en: 'Quota seats', type: 'int', required: false, min: 0, max: 100_000 },
    { key: 'quotaMinScore', zh: '指标生最低分', en: 'Quota minimum score', type: 'number', required: false, min: 0, max: 1000 },
    { key: 'quotaMinEvaluation', zh: '指标生最低评价', en: 'Quota minimum evaluation', type: 'evaluation', required: false },
    { key: 'minPerSchool', zh: '每所初中最少名额', en: 'Minimum per junior school', type: 'int', required: false, min: 0, max: 1000 },
    { key: 'previousCutoff', zh: '上年录取最低分', en: 'Last year cutoff', type: 'number', required: false, min: 0, max: 1000 },
  ],
  students: [
    { key: 'examNo', zh: '准考证号', en: 'Exam number', type: 'string', required: true, identifier: true, pattern: /^[A-Z0-9]{4,32}$/, patternHint: { zh: '应为 4 到 32 位字母或数字', en: 'must be 4 to 32 letters or digits' } },
    { key: 'name', zh: '姓名', en: 'Name', type: 'string', required: true, max: 50 },
    { key: 'idCardNo', zh: '身份证号', en: 'ID number', type: 'string', required: true, identifier: true },
    { key: 'gender', zh: '性别', en: 'Gender', type: 'gender', required: true },
    { key: 'birthDate', zh: '出生日期', en: 'Birth date', type: 'date', required: false },
    { key: 'juniorSchoolId', zh: '初中学校代码', en: 'Junior school code', type: 'string', required: true, ...code },
    { key: 'enrolledSince', zh: '学籍起始日期', en: 'Enrolled since', type: 'date', required: true },
    // The field key `history` differs from the 历史 subject's English name `History` only in case:
    // keys match exactly (case-sensitive) before names do, so each header string has one column (resolveHeader).
    { key: 'history', zh: '学籍变动记录', en: 'Enrollment history', type: 'string', required: false, max: 2000 },
    ...SCORE_COLUMNS,
    { key: 'total', zh: '总分', en: 'Total', type: 'number', required: false, min: 0, max: 1000, halfSteps: true },
    { key: 'evaluation', zh: '综合素质评价', en: 'Evaluation', type: 'evaluation', required: true },
    { key: 'quotaEligible', zh: '指标生资格', en: 'Quota eligible', type: 'bool', required: false },
  ],
};

export const IMPORT_KIND_NAMES: Readonly<Record<ImportKind, { zh: string; en: string }>> = {
  regions: { zh: '区县', en: 'Regions' },
  'junior-schools': { zh: '初中学校', en: 'Junior schools' },
  'high-schools': { zh: '高中学校及招生计划', en: 'High schools and plans' },
  students: { zh: '考生、学籍、成绩与综合素质评价', en: 'Students, enrollment, scores and evaluation' },
};

function normalizeHeader(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

interface HeaderIndex {
  byKey: Map<string, ColumnSpec>;
  byZh: Map<string, ColumnSpec>;
  byEn: Map<string, ColumnSpec>;
}

/** Builds a kind's header lookup, refusing (at start-up) two columns that share a key, a Chinese or an English name. */
function headerIndex(kind: ImportKind): HeaderIndex {
  const index: HeaderIndex = { byKey: new Map(), byZh: new Map(), byEn: new Map() };
  const add = (map: Map<string, ColumnSpec>, name: string, spec: ColumnSpec) => {
    const other = map.get(name);
    if (other && other !== spec) throw new Error(`import columns of ${kind}: "${name}" names both ${other.key} and ${spec.key}`);
    map.set(name, spec);
  };
  for (const spec of IMPORT_COLUMNS[kind]) {
    add(index.byKey, spec.key, spec);
    add(index.byZh, normalizeHeader(spec.zh), spec);
    add(index.byEn, normalizeHeader(spec.en), spec);
  }
  return index;
}

const HEADER_INDEX = Object.fromEntries(IMPORT_KINDS.map((kind) => [kind, headerIndex(kind)])) as Record<ImportKind, HeaderIndex>;

/**
 * The column a header cell names, or undefined. One rule, so every header
 * string has at most one column: the exact field key first (case-sensitive:
 * `history` is 学籍变动记录), then the Chinese name, then the English name
 * (both ignoring spaces, case and full-width forms: `HISTORY` is 历史).
 */
export function resolveHeader(kind: ImportKind, text: string): ColumnSpec | undefined {
  const index = HEADER_INDEX[kind];
  const trimmed = (text ?? '').trim();
  const normalized = normalizeHeader(trimmed);
  return index.byKey.get(trimmed) ?? index.byZh.get(normalized) ?? index.byEn.get(normalized);
}

export function isImportKind(value: string): value is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}
