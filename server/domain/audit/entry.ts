/**
 * An audit entry as a service states it, and the pure steps that turn it into
 * the row the log stores: secrets dropped, ID numbers masked, JSON made safe
 * for jsonb. The repository (repositories/audit.repository.ts `record`) links
 * the row into the hash chain (./chain.ts) and writes it.
 */
import type { Prisma } from '../../db';
import type { Actor } from '../../policies';
import { maskIdNumber } from '../id-numbers';

export { maskIdNumber } from '../id-numbers';

/** Who did it: a signed-in user, or null for the system (jobs, imports run from the command line). */
export type AuditActor = Pick<Actor, 'id' | 'role'> | null;

export interface AuditRow {
  at: Date;
  actorId: string | null;
  actorRole: 'student' | 'junior' | 'high' | 'bureau' | 'auditor' | 'kindergarten' | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: Prisma.InputJsonValue | null;
  after: Prisma.InputJsonValue | null;
  requestId: string | null;
}

export interface AuditEntry {
  actor: AuditActor;
  /** What happened, as `area.verb`: `auth.login`, `plan.approve`, `round.publish`... */
  action: string;
  /** The model changed, e.g. `User`, `HighSchoolPlan`, `Round`. */
  entity: string;
  entityId?: string | null;
  /** The state before and after the change; secrets are dropped and ID numbers masked. */
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  /** When it happened; defaults to now. Pass the clock's time where the service has one. */
  at?: Date;
}

/** Keys whose values never enter the audit log. */
const SECRET_KEYS = new Set(['password', 'passwordhash', 'currentpassword', 'newpassword', 'token', 'secret']);
/** Keys holding a 身份证号, kept only masked. */
const ID_NUMBER_KEYS = new Set(['idcardno', 'idnumber', 'idcard']);


/**
 * Pure: turns a before/after snapshot into JSON for the log. Dates become ISO
 * strings, bigints strings, undefined disappears, secrets are dropped and ID
 * numbers masked, at any depth.
 */
export function auditSnapshot(value: unknown): Prisma.InputJsonValue | null {
  const json = toJson(value);
  return json === undefined ? null : (json as Prisma.InputJsonValue | null);
}

function toJson(value: unknown): unknown {
  if (value === null) return null;
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return wellFormed(value);
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return toJson((value as { toJSON(): unknown }).toJSON());
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const lower = key.toLowerCase();
    if (SECRET_KEYS.has(lower)) continue;
    if (ID_NUMBER_KEYS.has(lower) && typeof item === 'string') {
      out[wellFormed(key)] = maskIdNumber(wellFormed(item));
      continue;
    }
    const converted = toJson(item);
    if (converted !== undefined) out[wellFormed(key)] = converted;
  }
  return out;
}

/**
 * A lone UTF-16 surrogate (possible in any JSON a client sends) becomes U+FFFD,
 * as it would in a text column: jsonb refuses it, which would fail the change.
 */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Pure: the row written for an entry. */
export function auditRow(entry: AuditEntry, now: Date = new Date()): AuditRow {
  return {
    at: entry.at ?? now,
    actorId: entry.actor?.id ?? null,
    actorRole: entry.actor?.role ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    before: auditSnapshot(entry.before),
    after: auditSnapshot(entry.after),
    requestId: entry.requestId ?? null,
  };
}

