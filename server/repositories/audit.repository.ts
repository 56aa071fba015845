import type { Prisma } from '../db';
import type { Db } from './index';

export interface AuditRow {
  at: Date;
  actorId: string | null;
  actorRole: 'student' | 'junior' | 'high' | 'bureau' | 'auditor' | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: Prisma.InputJsonValue | null;
  after: Prisma.InputJsonValue | null;
  requestId: string | null;
}

/** The audit log: insert-only. */
export function createAuditRepository(db: Db) {
  return {
    async insert(row: AuditRow): Promise<void> {
      await db.auditLog.create({
        data: {
          ...row,
          before: row.before ?? undefined,
          after: row.after ?? undefined,
        },
      });
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
