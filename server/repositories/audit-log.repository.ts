import type { Prisma } from '../db';
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
  };
}

export type AuditLogRepository = ReturnType<typeof createAuditLogRepository>;
