import { isIdCardField, looksLikeIdCard, maskIdCard } from './id-card';

/**
 * Turns a home endpoint's JSON (whose shape grows release by release) into a
 * tree the UI can render without knowing the shape: plain values become
 * formatted text, objects become groups, arrays of objects become tables.
 * ID numbers are masked on the way, secrets are dropped.
 */
export type SummaryNode =
  | { kind: 'text'; key: string; text: string; deadline?: number }
  | { kind: 'list'; key: string; items: string[] }
  | { kind: 'table'; key: string; columns: string[]; rows: string[][] }
  | { kind: 'group'; key: string; children: SummaryNode[] };

export interface SummaryOptions {
  /** BCP 47 locale for numbers and dates. */
  locale: string;
  /** Words for true, false and no value, in the user's language. */
  yes: string;
  no: string;
  empty: string;
  /** Time zone dates are shown in; admissions run on Beijing time. */
  timeZone?: string;
  /**
   * The display word of a coded value (`ownership: 'private'` -> 民办),
   * or undefined to show the value as it is.
   */
  translateValue?: (key: string, value: string) => string | undefined;
}

const SECRET_KEY = /password|token|secret|hash/i;
const DEADLINE_KEY = /deadline|closes?At|endsAt|until$|截止/i;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const MAX_DEPTH = 2;
/** Database keys (cuid, uuid): meaningless to a reader, so not shown; short codes such as H01 stay. */
const OPAQUE_ID = /^([a-z0-9]{20,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** Keys a reference to another record may carry besides its name (`{ code, name, nameEn }`). */
const REFERENCE_KEYS = new Set(['id', 'code', 'name', 'nameEn', 'year']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return value === null || value === undefined || ['string', 'number', 'boolean'].includes(typeof value);
}

function isEnglish(options: SummaryOptions): boolean {
  return options.locale.toLowerCase().startsWith('en');
}

/** An internal record key (`id`, `studentId`) holding a database id rather than a code people use. */
export function isOpaqueId(key: string, value: unknown): boolean {
  return (key === 'id' || key.endsWith('Id')) && typeof value === 'string' && OPAQUE_ID.test(value);
}

/**
 * Keeps one of a pair `name` / `nameEn` by the UI language, under the plain
 * key, so a region reads 荷塘区 in Chinese and Hetang District in English.
 */
function localizePairs(value: Record<string, unknown>, options: SummaryOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.endsWith('En') && key.length > 2 && key.slice(0, -2) in value) continue;
    const english = value[`${key}En`];
    out[key] = isEnglish(options) && typeof english === 'string' && english !== '' ? english : child;
  }
  return out;
}

/** A reference to another record (`{ id, name }`, `{ code, name, nameEn }`): shown as its name. */
function referenceName(value: Record<string, unknown>, options: SummaryOptions): string | undefined {
  const keys = Object.keys(value);
  if (!keys.includes('name') || !keys.every((key) => REFERENCE_KEYS.has(key))) return undefined;
  const name = localizePairs(value, options).name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** Formats one plain value for display; ID numbers come out masked. */
export function formatScalar(key: string, value: unknown, options: SummaryOptions): string {
  if (value === null || value === undefined || value === '') return options.empty;
  if (typeof value === 'boolean') return value ? options.yes : options.no;
  if (typeof value === 'number') return new Intl.NumberFormat(options.locale, { maximumFractionDigits: 2 }).format(value);
  if (typeof value === 'string') {
    if (isIdCardField(key) || looksLikeIdCard(value)) return maskIdCard(value);
    const word = options.translateValue?.(key, value);
    if (word !== undefined) return word;
    if (ISO_DATE_TIME.test(value)) {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) {
        return new Intl.DateTimeFormat(options.locale, {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone: options.timeZone ?? 'Asia/Shanghai',
        }).format(date);
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => formatScalar(key, item, options)).join(', ');
  if (isPlainObject(value)) {
    const name = referenceName(value, options);
    if (name !== undefined) return name;
    return Object.entries(localizePairs(value, options))
      .filter(([k, v]) => !SECRET_KEY.test(k) && !isOpaqueId(k, v))
      .map(([k, v]) => `${k}: ${formatScalar(k, v, options)}`)
      .join('; ');
  }
  return String(value);
}

function node(key: string, value: unknown, options: SummaryOptions, depth: number): SummaryNode | undefined {
  if (SECRET_KEY.test(key) || isOpaqueId(key, value)) return undefined;

  if (Array.isArray(value)) {
    if (value.every(isScalar)) {
      return { kind: 'list', key, items: value.map((item) => formatScalar(key, item, options)) };
    }
    if (value.every(isPlainObject) && depth < MAX_DEPTH) {
      const rowsIn = (value as Record<string, unknown>[]).map((row) => localizePairs(row, options));
      const columns: string[] = [];
      for (const row of rowsIn) {
        for (const [column, cell] of Object.entries(row)) {
          if (!columns.includes(column) && !SECRET_KEY.test(column) && !isOpaqueId(column, cell)) columns.push(column);
        }
      }
      const rows = rowsIn.map((row) => columns.map((column) => formatScalar(column, row[column], options)));
      return { kind: 'table', key, columns, rows };
    }
    return { kind: 'text', key, text: formatScalar(key, value, options) };
  }

  if (isPlainObject(value)) {
    if (depth >= MAX_DEPTH || referenceName(value, options) !== undefined) {
      return { kind: 'text', key, text: formatScalar(key, value, options) };
    }
    return { kind: 'group', key, children: buildChildren(value, options, depth + 1) };
  }

  const text = formatScalar(key, value, options);
  if (typeof value === 'string' && DEADLINE_KEY.test(key) && ISO_DATE_TIME.test(value)) {
    const deadline = new Date(value).getTime();
    if (!Number.isNaN(deadline)) return { kind: 'text', key, text, deadline };
  }
  return { kind: 'text', key, text };
}

function buildChildren(value: Record<string, unknown>, options: SummaryOptions, depth: number): SummaryNode[] {
  const children: SummaryNode[] = [];
  for (const [key, child] of Object.entries(localizePairs(value, options))) {
    const built = node(key, child, options, depth);
    if (built) children.push(built);
  }
  // Plain values first, so a card reads as facts, then its details.
  return [
    ...children.filter((child) => child.kind === 'text'),
    ...children.filter((child) => child.kind !== 'text'),
  ];
}

/** The display tree of a whole response; a non-object response becomes one text node. */
export function buildSummary(value: unknown, options: SummaryOptions): SummaryNode[] {
  if (isPlainObject(value)) return buildChildren(value, options, 0);
  const built = node('value', value as Json, options, 0);
  return built ? [built] : [];
}

/** A readable label from a field name: `quotaSeats` -> `Quota seats`, `high_school_id` -> `High school id`. */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
