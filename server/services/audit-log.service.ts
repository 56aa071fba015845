import { createAuditChainVerifier, type AuditChainReport } from '../domain/audit/chain';
import { authorize, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { AuditLogFilter, AuditLogRepository } from '../repositories/audit-log.repository';
import type { UserName } from '../repositories/names.repository';
import { filterMaySelectSaves } from '../repositories/application-audit.repository';

/** Entries read per query when verifying the chain. */
const VERIFY_BATCH = 2_000;

/**
 * Reads the whole audit chain in seq order, a batch at a time (memory stays
 * flat on millions of entries), recomputes every hash and stops at the first
 * break. `onProgress` gets the number verified after each batch.
 */
export async function verifyStoredAuditChain(
  auditLog: Pick<AuditLogRepository, 'chainAfter'>,
  options: { batchSize?: number; onProgress?: (verified: number) => void } = {},
): Promise<AuditChainReport> {
  const batchSize = options.batchSize ?? VERIFY_BATCH;
  const verifier = createAuditChainVerifier();
  let after = 0n;
  for (;;) {
    const rows = await auditLog.chainAfter(after, batchSize);
    for (const row of rows) if (verifier.check(row)) return verifier.report();
    if (rows.length < batchSize) return verifier.report();
    after = rows[rows.length - 1].seq;
    options.onProgress?.(verifier.report().count);
  }
}

/** An entry's actor for people: name, role, username and the school (or student) the account belongs to. */
function actorView(user: UserName | undefined) {
  if (!user) return null;
  return { name: user.displayName, role: user.role, username: user.username, organization: user.orgName && user.orgName !== user.displayName ? user.orgName : null };
}

/**
 * The audit log for inspectors (督导): every action, newest first, filtered
 * (action prefix, entity, actor by username or name) and paginated, each
 * entry with its actor and subject by name. Saves of choices (志愿) come from
 * their own append-only record (ApplicationVersion), merged in time order:
 * they are not in the hash chain, so they carry no seq or hash; each family
 * holds the signed receipt of its save. Action codes are put into words
 * by the client (client/src/i18n/audit-actions.ts), their one home.
 */
export function createAuditLogService(deps: { uow: UnitOfWork }) {
  return {
    async list(actor: Actor, filter: AuditLogFilter, page: { offset: number; limit: number }) {
      authorize(actor, 'audit.read');
      // Saves of choices are read from their own record and merged in (application-audit.repository.ts).
      const { total, rows } = filterMaySelectSaves(filter)
        ? await deps.uow.repos.auditEntries.list(filter, page)
        : await deps.uow.repos.auditLog.list(filter, page);
      // Who and what by name: one statement for the actors, one per kind of subject on the page.
      const [actors, subjects] = await Promise.all([
        deps.uow.repos.names.users(rows.flatMap((r) => (r.actorId ? [r.actorId] : []))),
        deps.uow.repos.auditLog.subjectNames(rows),
      ]);
      return {
        total,
        offset: page.offset,
        limit: page.limit,
        items: rows.map((r) => ({
          id: r.id.toString(),
          /** Null for a save of choices: kept in ApplicationVersion, not in the hash chain. */
          seq: r.seq === null ? null : r.seq.toString(),
          at: r.at.toISOString(),
          actorId: r.actorId,
          actorRole: r.actorRole,
          actor: actorView(r.actorId ? actors.get(r.actorId) : undefined),
          subject: (r.entityId && subjects.get(r.entity)?.get(r.entityId)) || null,
          action: r.action,
          entity: r.entity,
          entityId: r.entityId,
          before: r.before,
          after: r.after,
          requestId: r.requestId,
          hash: r.hash,
        })),
      };
    },

    /** Verifies the whole hash chain (inspectors): its length and head, or the first broken entry. */
    async verifyChain(actor: Actor) {
      authorize(actor, 'audit.read');
      const report = await verifyStoredAuditChain(deps.uow.repos.auditLog);
      const head = report.head ? { seq: report.head.seq.toString(), hash: report.head.hash } : null;
      return report.ok
        ? { ok: true as const, count: report.count, head, broken: null }
        : { ok: false as const, count: report.count, head, broken: { ...report.broken, seq: report.broken.seq.toString() } };
    },
  };
}

export type AuditLogService = ReturnType<typeof createAuditLogService>;
