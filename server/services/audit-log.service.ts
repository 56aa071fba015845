import { AppError } from '../errors';
import type { Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { AuditLogFilter } from '../repositories/audit-log.repository';

/** The audit log for inspectors (督导): every action, newest first, filtered and paginated. */
export function createAuditLogService(deps: { uow: UnitOfWork }) {
  return {
    async list(actor: Actor, filter: AuditLogFilter, page: { offset: number; limit: number }) {
      if (actor.role !== 'auditor') throw new AppError('FORBIDDEN');
      const { total, rows } = await deps.uow.repos.auditLog.list(filter, page);
      return {
        total,
        offset: page.offset,
        limit: page.limit,
        items: rows.map((r) => ({
          id: r.id.toString(),
          at: r.at.toISOString(),
          actorId: r.actorId,
          actorRole: r.actorRole,
          action: r.action,
          entity: r.entity,
          entityId: r.entityId,
          before: r.before,
          after: r.after,
          requestId: r.requestId,
        })),
      };
    },
  };
}

export type AuditLogService = ReturnType<typeof createAuditLogService>;
