import { createHash } from 'node:crypto';

/**
 * The audit log as a hash chain. Entry `seq` (1, 2, 3... without gaps) stores
 * `prevHash`, the hash of entry `seq - 1` (64 zeros for entry 1), and
 * `hash = sha256hex(utf8(canonical text))`. Changing, removing or reordering any
 * entry breaks every hash after it; `verifyAuditChain` finds the first break.
 *
 * The canonical text is PostgreSQL's own `jsonb` text output of
 *
 *   {seq, at, actorId, actorRole, action, entity, entityId, before, after, requestId, prevHash}
 *
 * with `at` as an ISO-8601 UTC string with milliseconds (`2026-06-01T08:00:00.000Z`),
 * absent values as `null` and `seq` as a number. jsonb text is a normal form:
 * keys sorted by UTF-8 length then bytes, `", "` and `": "` as separators,
 * numbers as PostgreSQL's `numeric` prints them (no exponent), strings with
 * only `"`, `\` and control characters escaped. So the text is the same before
 * and after `before`/`after` go through a jsonb column, and the database can
 * compute it too (`audit_log_canonical` in the migration `audit_chain`, used to
 * chain the rows older than the chain and to check every insert).
 */

/** The `prevHash` of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** The chained fields of one entry, as stored. `before`/`after` are JSON values. */
export interface AuditChainEntry {
  seq: bigint;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  prevHash: string;
}

export interface AuditChainRow extends AuditChainEntry {
  hash: string;
}

/** The last entry of a chain: what the next entry links to, and what an auditor writes down. */
export interface AuditChainHead {
  seq: bigint;
  hash: string;
}

/**
 * Pure: the text PostgreSQL prints for `value::jsonb` (jsonb_out), for any
 * value `JSON.stringify` accepts: `undefined` members are dropped, `undefined`
 * array items and non-finite numbers become null, `toJSON` is honoured. A
 * bigint prints as a number.
 */
export function jsonbText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return numericText(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return jsonbString(value);
    case 'object':
      break;
    default:
      return 'null';
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return jsonbText((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => (isAbsent(item) ? 'null' : jsonbText(item))).join(', ')}]`;
  const members = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => !isAbsent(item))
    .map(([key, item]) => ({ key: Buffer.from(key, 'utf8'), text: `${jsonbString(key)}: ${jsonbText(item)}` }));
  // jsonb keeps an object's keys shortest first, then in byte order.
  members.sort((a, b) => a.key.length - b.key.length || Buffer.compare(a.key, b.key));
  return `{${members.map((m) => m.text).join(', ')}}`;
}

/** What JSON.stringify leaves out of an object. */
function isAbsent(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * A JS number as PostgreSQL prints the `numeric` it parses from JSON.stringify's
 * text: exponents written out (`1e+21` -> `1000000000000000000000`, `1.5e-7` -> `0.00000015`).
 */
function numericText(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  const text = String(value); // JSON.stringify's text; -0 prints as 0
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = '', exponent] = match;
  const digits = lead + fraction;
  const point = 1 + Number(exponent); // where the decimal point falls in `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A string as jsonb prints it (escape_json): other control characters as \u00xx, everything else as is. */
function jsonbString(value: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = value.replace(/["\\\u0000-\u001f]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped}"`;
}

/** Pure: the canonical text of an entry, the input of its hash. */
export function canonicalAuditText(entry: AuditChainEntry): string {
  return jsonbText({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: entry.requestId,
    prevHash: entry.prevHash,
  });
}

/** Pure: the hash of an entry, lowercase hex SHA-256 of the UTF-8 canonical text. */
export function auditEntryHash(entry: AuditChainEntry): string {
  return createHash('sha256').update(canonicalAuditText(entry), 'utf8').digest('hex');
}

/** Pure: `fields` as the entry after `head` (null: the first entry), with its seq, prevHash and hash. */
export function linkAuditEntry<T extends Omit<AuditChainEntry, 'seq' | 'prevHash'>>(
  fields: T,
  head: AuditChainHead | null,
): T & { seq: bigint; prevHash: string; hash: string } {
  const linked = { ...fields, seq: head ? head.seq + 1n : 1n, prevHash: head ? head.hash : GENESIS_HASH };
  return { ...linked, hash: auditEntryHash(linked) };
}

/** Why a chain is broken at an entry. */
export type AuditChainBreakReason =
  /** The entry after seq - 1 is not seq (an entry removed, or rows out of order); `seq` is the one expected. */
  | 'gap'
  /** The entry's prevHash is not the previous entry's hash (an entry removed or replaced before it). */
  | 'prevHash'
  /** The stored hash is not the hash of the entry's contents (the entry was changed). */
  | 'hash';

export interface AuditChainBreak {
  seq: bigint;
  reason: AuditChainBreakReason;
  expected: string;
  found: string;
}

export type AuditChainReport =
  | { ok: true; count: number; head: AuditChainHead | null }
  /** `count` and `head`: the entries verified before the break. */
  | { ok: false; count: number; head: AuditChainHead | null; broken: AuditChainBreak };

/**
 * Pure and incremental, for chains too long to hold in memory: feed the rows in
 * seq order to `check`, which returns the first break (and keeps returning it).
 */
export function createAuditChainVerifier() {
  let head: AuditChainHead | null = null;
  let count = 0;
  let broken: AuditChainBreak | null = null;
  return {
    check(row: AuditChainRow): AuditChainBreak | null {
      if (broken) return broken;
      const expectedSeq = head ? head.seq + 1n : 1n;
      const expectedPrev = head ? head.hash : GENESIS_HASH;
      const hash = auditEntryHash(row);
      if (row.seq !== expectedSeq) broken = { seq: expectedSeq, reason: 'gap', expected: expectedSeq.toString(), found: row.seq.toString() };
      else if (row.prevHash !== expectedPrev) broken = { seq: row.seq, reason: 'prevHash', expected: expectedPrev, found: row.prevHash };
      else if (row.hash !== hash) broken = { seq: row.seq, reason: 'hash', expected: hash, found: row.hash };
      else {
        head = { seq: row.seq, hash: row.hash };
        count++;
      }
      return broken;
    },
    report(): AuditChainReport {
      return broken ? { ok: false, count, head, broken } : { ok: true, count, head };
    },
  };
}

/** Pure: verifies a whole chain given in seq order. */
export function verifyAuditChain(rows: Iterable<AuditChainRow>): AuditChainReport {
  const verifier = createAuditChainVerifier();
  for (const row of rows) if (verifier.check(row)) break;
  return verifier.report();
}

/** One line for people: `OK: 1234 entries, head seq 1234 sha256 ab…` or where and why the chain breaks. */
export function describeAuditChainReport(report: AuditChainReport): string {
  if (report.ok) {
    return report.head
      ? `OK: ${entries(report.count)}, head seq ${report.head.seq} hash ${report.head.hash}`
      : 'OK: the audit log is empty';
  }
  const { seq, reason, expected, found } = report.broken;
  const why = {
    gap: `expected seq ${expected} next, found seq ${found}: entries are missing or out of order`,
    prevHash: `prevHash ${found} is not the hash of the entry before (${expected})`,
    hash: `stored hash ${found} does not match its contents (recomputed ${expected}): the entry was changed`,
  }[reason];
  return `BROKEN at seq ${seq} (${reason}): ${why}; ${entries(report.count)} verified before it`;
}

const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
