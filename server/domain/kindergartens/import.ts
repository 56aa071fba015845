/**
 * The registry's import files, validated like the admissions imports
 * (../imports/rows.ts): a header row in Chinese or English (or the field
 * keys), one kindergarten (or one region's count of children aged 3-5) per
 * row; every problem names the row and the column, and any problem means
 * nothing is written. Lists in a cell are separated by `;` (or `；`, a newline):
 * staff as `name:qualification`, fees as `class type:月|学期:yuan`,
 * evaluations as `date:kind:result`, inspections as `date:result[:deadline]`.
 */
import { implausibleChar, ENCODING_NAMES } from '../imports/decode';
import { columnLetter, parseDate, type RawRow, type RawSheet, type RowProblem } from '../imports/rows';
import { feeMonthlyMin } from './record';
import {
  KINDERGARTEN_GRADES,
  GRADE_NAMES,
  type Evaluation,
  type KindergartenFields,
  type Fee,
  type Inspection,
  type KindergartenGrade,
  type KindergartenNature,
  type StaffMember,
} from './types';

export const REGISTRY_IMPORT_KINDS = ['kindergartens', 'preschool-population'] as const;
export type RegistryImportKind = (typeof REGISTRY_IMPORT_KINDS)[number];

type ColType = 'string' | 'int' | 'date' | 'bool' | 'nature' | 'grade' | 'staff' | 'fees' | 'evaluations' | 'inspections' | 'account';

interface Col {
  key: string;
  zh: string;
  en: string;
  type: ColType;
  required: boolean;
  max?: number;
  min?: number;
  /** Default of an empty optional bool. */
  defaultBool?: boolean;
}

const CODE = /^[A-Za-z0-9_-]{1,32}$/;

export const REGISTRY_COLUMNS: Readonly<Record<RegistryImportKind, Col[]>> = {
  kindergartens: [
    { key: 'id', zh: '幼儿园代码', en: 'Kindergarten code', type: 'string', required: true, max: 32 },
    { key: 'name', zh: '幼儿园名称', en: 'Name', type: 'string', required: true, max: 100 },
    { key: 'regionCode', zh: '区县代码', en: 'Region code', type: 'string', required: true, max: 32 },
    { key: 'address', zh: '地址', en: 'Address', type: 'string', required: true, max: 200 },
    { key: 'nature', zh: '办园性质', en: 'Nature', type: 'nature', required: true },
    { key: 'openedOn', zh: '开办日期', en: 'Opening date', type: 'date', required: false },
    { key: 'grade', zh: '等级', en: 'Grade', type: 'grade', required: false },
    { key: 'licenceNumber', zh: '办学许可证号', en: 'Licence number', type: 'string', required: true, max: 50 },
    { key: 'classes', zh: '班级数', en: 'Classes', type: 'int', required: true, min: 0, max: 200 },
    { key: 'children', zh: '在园幼儿数', en: 'Children', type: 'int', required: true, min: 0, max: 5000 },
    { key: 'headName', zh: '园长姓名', en: 'Head name', type: 'string', required: true, max: 50 },
    { key: 'headQualification', zh: '园长资格', en: 'Head qualification', type: 'string', required: false, max: 100 },
    { key: 'teachers', zh: '专任教师', en: 'Teachers', type: 'staff', required: false },
    { key: 'carers', zh: '保育员', en: 'Carers', type: 'staff', required: false },
    { key: 'fees', zh: '收费标准', en: 'Fees', type: 'fees', required: false },
    { key: 'feeAccount', zh: '收费账户', en: 'Fee account', type: 'account', required: false },
    { key: 'dangerousBuilding', zh: '危房', en: 'Dangerous building', type: 'bool', required: false, defaultBool: false },
    { key: 'civilDefence', zh: '人防达标', en: 'Civil defence OK', type: 'bool', required: false, defaultBool: true },
    { key: 'physicalDefence', zh: '物防达标', en: 'Physical defence OK', type: 'bool', required: false, defaultBool: true },
    { key: 'technicalDefence', zh: '技防达标', en: 'Technical defence OK', type: 'bool', required: false, defaultBool: true },
    { key: 'rectifyBy', zh: '整改期限', en: 'Rectify by', type: 'date', required: false },
    { key: 'evaluations', zh: '质量评估', en: 'Evaluations', type: 'evaluations', required: false },
    { key: 'inspections', zh: '督导检查', en: 'Inspections', type: 'inspections', required: false },
  ],
  'preschool-population': [
    { key: 'regionCode', zh: '区县代码', en: 'Region code', type: 'string', required: true, max: 32 },
    { key: 'year', zh: '年份', en: 'Year', type: 'int', required: true, min: 2000, max: 2100 },
    { key: 'children', zh: '3-5周岁儿童数', en: 'Children aged 3-5', type: 'int', required: true, min: 0, max: 10_000_000 },
  ],
};

export const REGISTRY_KIND_NAMES: Readonly<Record<RegistryImportKind, { zh: string; en: string }>> = {
  kindergartens: { zh: '幼儿园', en: 'Kindergartens' },
  'preschool-population': { zh: '3-5周岁儿童数', en: 'Children aged 3-5' },
};

const NATURE_WORDS: Record<string, KindergartenNature> = {
  公办: 'public',
  public: 'public',
  普惠性民办: 'puhui_private',
  普惠民办: 'puhui_private',
  普惠: 'puhui_private',
  puhui_private: 'puhui_private',
  非普惠性民办: 'private',
  非普惠民办: 'private',
  民办: 'private',
  private: 'private',
};
const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '√', '有', '达标']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '0', '无', '不达标']);
const GRADE_WORDS: Record<string, KindergartenGrade> = Object.fromEntries(
  KINDERGARTEN_GRADES.flatMap((g) => [
    [g.toLowerCase(), g],
    [GRADE_NAMES[g].zh, g],
    [GRADE_NAMES[g].en.toLowerCase(), g],
  ]),
);
GRADE_WORDS['省示范'] = 'provincial_model';
GRADE_WORDS['市示范'] = 'city_model';
GRADE_WORDS['一级'] = 'class1';
GRADE_WORDS['二级'] = 'class2';
GRADE_WORDS['三级'] = 'class3';

/** One good row of a kindergartens file: the record and the row it came from. */
export interface KindergartenImportRecord extends KindergartenFields {
  row: number;
}

export interface PopulationImportRecord {
  row: number;
  regionCode: string;
  year: number;
  children: number;
}

export interface RegistryImportContext {
  /** Regions that exist. */
  regions: ReadonlySet<string>;
  /** A county bureau may import only rows of its own region. */
  onlyRegion?: string | null;
}

type Value = string | number | boolean | null | StaffMember[] | Fee[] | Evaluation[] | Inspection[];
type Msg = { zh: string; en: string; cause?: 'encoding' };

const norm = (t: string) => t.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
const split = (text: string) => text.split(/[;；\n]/).map((p) => p.trim()).filter(Boolean);
const parts = (text: string) => text.split(/[:：]/).map((p) => p.trim());

function parseList(text: string, type: ColType, role?: 'teacher' | 'carer'): Value | Msg {
  const out: unknown[] = [];
  for (const item of split(text)) {
    const p = parts(item);
    const bad: Msg = { zh: `无法识别“${item}”`, en: `cannot read "${item}"` };
    switch (type) {
      case 'staff':
        if (p.length > 2 || !p[0]) return { zh: `无法识别“${item}”，应为“姓名:资格”，多人用分号分隔`, en: `cannot read "${item}"; use "name:qualification", separated by semicolons` };
        out.push({ role, name: p[0], qualification: p[1] ?? '' });
        break;
      case 'fees': {
        const period = p[1] === '月' || p[1]?.toLowerCase() === 'month' ? 'month' : p[1] === '学期' || p[1]?.toLowerCase() === 'term' ? 'term' : null;
        const amount = Number(p[2]);
        if (p.length !== 3 || !p[0] || !period || !/^\d+$/.test(p[2] ?? '') || amount > 100_000)
          return { zh: `无法识别“${item}”，应为“班型:月或学期:金额(元)”，多项用分号分隔`, en: `cannot read "${item}"; use "class type:month|term:yuan", separated by semicolons` };
        out.push({ classType: p[0], period, amountYuan: amount });
        break;
      }
      case 'evaluations': {
        const date = parseDate(p[0] ?? '');
        if (p.length !== 3 || !date || !p[1] || !p[2]) return { ...bad, zh: `${bad.zh}，应为“日期:类别:结果”`, en: `${bad.en}; use "date:kind:result"` };
        out.push({ date, kind: p[1], result: p[2] });
        break;
      }
      case 'inspections': {
        const date = parseDate(p[0] ?? '');
        const deadline = p[2] ? parseDate(p[2]) : null;
        if (p.length < 2 || p.length > 3 || !date || !p[1] || (p[2] && !deadline)) return { ...bad, zh: `${bad.zh}，应为“日期:结果[:整改期限]”`, en: `${bad.en}; use "date:result[:deadline]"` };
        out.push({ date, result: p[1], deadline });
        break;
      }
    }
  }
  return out as Value;
}

function parseCell(text: string, col: Col, source: RawSheet['source']): { value: Value } | { error: Msg } {
  const t = (text ?? '').trim();
  if (t === '') {
    if (col.required) return { error: { zh: '不能为空', en: 'is required' } };
    if (col.type === 'bool') return { value: col.defaultBool ?? false };
    if (['staff', 'fees', 'evaluations', 'inspections'].includes(col.type)) return { value: [] as StaffMember[] };
    return { value: null };
  }
  if (t.includes('\u0000')) return { error: { zh: '不能包含空字符（\\u0000）', en: 'must not contain a NUL character (\\u0000)' } };
  const bad = implausibleChar(t);
  if (bad !== null) {
    const code = `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const read = source?.format === 'csv' ? ENCODING_NAMES[source.encoding] : null;
    return {
      error: {
        zh: `含有无法识别的字符（${code}${read ? `，按 ${read} 读取` : ''}），文件编码可能不是 UTF-8 或 GBK，请另存为“CSV UTF-8”或 .xlsx`,
        en: `contains an unreadable character (${code}${read ? `, read as ${read}` : ''}); save the file as "CSV UTF-8" or .xlsx`,
        ...(read ? { cause: 'encoding' as const } : {}),
      },
    };
  }
  switch (col.type) {
    case 'string':
      if (col.max !== undefined && t.length > col.max) return { error: { zh: `不能超过 ${col.max} 个字符`, en: `must be at most ${col.max} characters` } };
      if ((col.key === 'id' || col.key === 'regionCode') && !CODE.test(t)) return { error: { zh: '只能包含字母、数字、下划线和短横线，最多 32 位', en: 'letters, digits, _ and - only, at most 32' } };
      return { value: col.key === 'id' ? t.toUpperCase() : t };
    case 'int': {
      const n = Number(t);
      if (!/^\d+$/.test(t) || n < (col.min ?? 0) || n > (col.max ?? Infinity)) return { error: { zh: `“${t}”应为 ${col.min ?? 0} 到 ${col.max} 之间的整数`, en: `"${t}" must be an integer from ${col.min ?? 0} to ${col.max}` } };
      return { value: n };
    }
    case 'date': {
      const d = parseDate(t);
      return d ? { value: d } : { error: { zh: `“${t}”不是有效日期，应为 YYYY-MM-DD`, en: `"${t}" is not a valid date (YYYY-MM-DD)` } };
    }
    case 'bool': {
      const v = t.toLowerCase();
      if (TRUE_WORDS.has(v)) return { value: true };
      if (FALSE_WORDS.has(v)) return { value: false };
      return { error: { zh: `“${t}”应填“是”或“否”`, en: `"${t}" must be yes or no` } };
    }
    case 'nature': {
      const v = NATURE_WORDS[t] ?? NATURE_WORDS[t.toLowerCase()];
      return v ? { value: v } : { error: { zh: `“${t}”应为“公办”“普惠性民办”或“非普惠性民办”`, en: `"${t}" must be public, puhui_private or private` } };
    }
    case 'grade': {
      const v = GRADE_WORDS[t] ?? GRADE_WORDS[t.toLowerCase()];
      return v ? { value: v } : { error: { zh: `“${t}”应为省级示范园、市级示范园、一级园、二级园、三级园或未定级`, en: `"${t}" must be one of ${KINDERGARTEN_GRADES.join(', ')}` } };
    }
    case 'account': {
      const digits = t.replace(/[\s-]/g, '');
      return /^\d{8,30}$/.test(digits) ? { value: digits } : { error: { zh: '收费账户应为 8 到 30 位数字', en: 'the fee account must be 8 to 30 digits' } };
    }
    default: {
      const list = parseList(t, col.type, col.key === 'carers' ? 'carer' : 'teacher');
      return Array.isArray(list) ? { value: list } : { error: list as Msg };
    }
  }
}

const problem = (row: number, col: Col | null, msg: Msg): RowProblem => ({ row, column: col ? { zh: col.zh, en: col.en } : { zh: '', en: '' }, zh: msg.zh, en: msg.en, ...(msg.cause ? { cause: msg.cause } : {}) });

function matchHeader(cols: Col[], header: readonly string[], source: RawSheet['source']): { index: Map<string, number>; problems: RowProblem[] } {
  const index = new Map<string, number>();
  const problems: RowProblem[] = [];
  const garbled = header.findIndex((h) => implausibleChar(h ?? '') !== null);
  if (garbled >= 0) {
    const read = source?.format === 'csv' ? ENCODING_NAMES[source.encoding] : null;
    problems.push({
      row: 1,
      column: { zh: `${columnLetter(garbled)} 列`, en: `column ${columnLetter(garbled)}` },
      zh: `表头含有无法识别的字符${read ? `（按 ${read} 读取）` : ''}，文件编码可能不是 UTF-8 或 GBK，请在 Excel 中另存为“CSV UTF-8”或 .xlsx`,
      en: `the header row contains unreadable characters${read ? ` (read as ${read})` : ''}; in Excel, save it as "CSV UTF-8" or .xlsx`,
      cause: 'encoding',
    });
    return { index, problems };
  }
  header.forEach((text, i) => {
    const t = (text ?? '').trim();
    const col = cols.find((c) => c.key === t) ?? cols.find((c) => norm(c.zh) === norm(t)) ?? cols.find((c) => norm(c.en) === norm(t));
    if (!col) return;
    if (index.has(col.key)) problems.push(problem(1, col, { zh: `有两列都对应“${col.zh}”，请只保留一列`, en: `two columns name "${col.en}"; keep one` }));
    else index.set(col.key, i);
  });
  for (const col of cols) if (col.required && !index.has(col.key)) problems.push(problem(1, col, { zh: `缺少“${col.zh}”列`, en: `the column "${col.en}" is missing` }));
  return { index, problems };
}

const isBlank = (row: RawRow) => row.cells.every((c) => (c ?? '').trim() === '');

/** Validates a registry import sheet; any problem means nothing is written. */
export function validateRegistrySheet(
  kind: RegistryImportKind,
  sheet: RawSheet,
  ctx: RegistryImportContext,
): { records: (KindergartenImportRecord | PopulationImportRecord)[]; problems: RowProblem[] } {
  const cols = REGISTRY_COLUMNS[kind];
  const { index, problems } = matchHeader(cols, sheet.header, sheet.source);
  if (problems.length > 0) return { records: [], problems };
  const unread = new Set((sheet.problems ?? []).map((p) => p.row));
  problems.push(...(sheet.problems ?? []));
  const records: (KindergartenImportRecord | PopulationImportRecord)[] = [];
  const seen = new Map<string, number>();
  const col = (key: string) => cols.find((c) => c.key === key)!;
  for (const row of sheet.rows) {
    if (isBlank(row) || unread.has(row.rowNumber)) continue;
    const r = row.rowNumber;
    const v: Record<string, Value> = {};
    let ok = true;
    for (const c of cols) {
      const i = index.get(c.key);
      const result = parseCell(i === undefined ? '' : (row.cells[i] ?? ''), c, sheet.source);
      if ('error' in result) {
        problems.push(problem(r, c, result.error));
        ok = false;
      } else v[c.key] = result.value;
    }
    if (!ok) continue;
    const regionCode = v.regionCode as string;
    if (!ctx.regions.has(regionCode)) {
      problems.push(problem(r, col('regionCode'), { zh: `区县代码“${regionCode}”不存在`, en: `region "${regionCode}" does not exist` }));
      continue;
    }
    if (ctx.onlyRegion && regionCode !== ctx.onlyRegion) {
      problems.push(problem(r, col('regionCode'), { zh: `只能导入本区县（${ctx.onlyRegion}）的数据`, en: `only rows of your own region (${ctx.onlyRegion}) may be imported` }));
      continue;
    }
    const key = kind === 'kindergartens' ? (v.id as string) : `${regionCode}|${v.year}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(problem(r, col(kind === 'kindergartens' ? 'id' : 'regionCode'), { zh: `与第 ${first} 行重复：${key}`, en: `duplicates row ${first}: ${key}` }));
      continue;
    }
    seen.set(key, r);
    if (kind === 'preschool-population') {
      records.push({ row: r, regionCode, year: v.year as number, children: v.children as number });
      continue;
    }
    const fees = v.fees as Fee[];
    records.push({
      row: r,
      id: v.id as string,
      name: v.name as string,
      regionCode,
      address: v.address as string,
      nature: v.nature as KindergartenNature,
      openedOn: v.openedOn as string | null,
      grade: (v.grade as KindergartenGrade | null) ?? 'ungraded',
      licenceNumber: v.licenceNumber as string,
      classes: v.classes as number,
      children: v.children as number,
      headName: v.headName as string,
      headQualification: (v.headQualification as string | null) ?? '',
      staff: [...(v.teachers as StaffMember[]), ...(v.carers as StaffMember[])],
      fees,
      feeMonthlyMin: feeMonthlyMin(fees),
      feeAccount: v.feeAccount as string | null,
      dangerousBuilding: v.dangerousBuilding as boolean,
      civilDefence: v.civilDefence as boolean,
      physicalDefence: v.physicalDefence as boolean,
      technicalDefence: v.technicalDefence as boolean,
      rectifyBy: v.rectifyBy as string | null,
      evaluations: v.evaluations as Evaluation[],
      inspections: v.inspections as Inspection[],
    });
  }
  return { records, problems: problems.sort((a, b) => a.row - b.row) };
}
