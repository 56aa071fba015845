import type { Prisma } from '../db';
import type { AuditChainHead, AuditChainRow } from '../domain/audit/chain';
import type { Db } from './index';

export interface AuditLogFilter {
  action?: string;
  entity?: string;
  entityId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
}

/** Reading the audit log (inspectors); writing goes through audit.service's recordAudit. */
export function createAuditLogRepository(db: Db) {
  return {
    async list(filter: AuditLogFilter, page: { offset: number; limit: number }) {
      const where: Prisma.AuditLogWhereInput = {
        ...(filter.action ? { action: { startsWith: filter.action } } : {}),
        ...(filter.entity ? { entity: filter.entity } : {}),
        ...(filter.entityId ? { entityId: filter.entityId } : {}),
        ...(filter.actorId ? { actorId: filter.actorId } : {}),
        ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
      };
      const [total, rows] = await Promise.all([
        db.auditLog.count({ where }),
        db.auditLog.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], skip: page.offset, take: page.limit }),
      ]);
      return { total, rows };
    },

    /** Up to `limit` entries after seq `afterSeq`, in seq order, with the fields their hash covers. */
    async chainAfter(afterSeq: bigint, limit: number): Promise<AuditChainRow[]> {
      return db.auditLog.findMany({
        where: { seq: { gt: afterSeq } },
        orderBy: { seq: 'asc' },
        take: limit,
        select: { seq: true, at: true, actorId: true, actorRole: true, action: true, entity: true, entityId: true, before: true, after: true, requestId: true, prevHash: true, hash: true },
      });
    },

    /** The last entry of the chain, or null when the log is empty. */
    async chainHead(): Promise<AuditChainHead | null> {
      return db.auditLog.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
    },
  };
}

export type AuditLogRepository = ReturnType<typeof createAuditLogRepository>;
