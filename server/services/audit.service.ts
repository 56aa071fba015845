import type { Prisma } from '../db';
import type { Actor } from '../policies';
import { createAuditRepository, type AuditRow } from '../repositories/audit.repository';
import type { Db } from '../repositories';

/** Who did it: a signed-in user, or null for the system (jobs, imports run from the command line). */
export type AuditActor = Pick<Actor, 'id' | 'role'> | null;

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

/** Masks a personal ID number to its first 6 (region) and last 4 characters. */
export function maskIdNumber(value: string): string {
  if (value.length <= 10) return '*'.repeat(value.length);
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

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
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return toJson((value as { toJSON(): unknown }).toJSON());
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const lower = key.toLowerCase();
    if (SECRET_KEYS.has(lower)) continue;
    if (ID_NUMBER_KEYS.has(lower) && typeof item === 'string') {
      out[key] = maskIdNumber(item);
      continue;
    }
    const converted = toJson(item);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
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

/**
 * Records one action in the audit log. Pass the transaction that makes the
 * change (`tx`), so the entry is written if and only if the change is.
 */
export async function recordAudit(tx: Db, entry: AuditEntry): Promise<void> {
  await createAuditRepository(tx).insert(auditRow(entry));
}
