import { createAuditRepository } from '../repositories/audit.repository';
import type { Db } from '../repositories';
import type { AuditEntry } from '../domain/audit/entry';

export { auditRow, auditSnapshot, maskIdNumber, type AuditActor, type AuditEntry } from '../domain/audit/entry';

/**
 * Records one action in the audit log. Pass the transaction that makes the
 * change (`tx`), so the entry is written if and only if the change is.
 *
 * The entry is appended to the hash chain: under a lock held until `tx` ends,
 * it takes the next seq after the last committed entry and links to its hash
 * (a rolled-back transaction leaves no gap). Appends queue behind each other
 * until commit, so record the entry last in the transaction, after any slow work.
 */
export async function recordAudit(tx: Db, entry: AuditEntry): Promise<void> {
  await createAuditRepository(tx).record(entry);
}
