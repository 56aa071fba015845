import type { Prisma } from '../db';
import type { AuditChainHead, AuditChainRow } from '../domain/audit/chain';
import type { Db } from './index';

export interface AuditLogFilter {
  action?: string;
  entity?: string;
  entityId?: string;
  actorId?: string;
  /** An account's username, or part of its display name (a person's or school's name). */
  actor?: string;
  from?: Date;
  to?: Date;
}

/** What an entry is about, by name: entity -> entity id -> name. */
export type SubjectNames = Map<string, Map<string, string>>;

/**
 * Entities whose id the log's readers see by name, and how to find it: each a
 * statement over a list of ids answering (id, name). Cycle-wide entries
 * (imports, quota computation) carry the cycle's id.
 */
const SUBJECT_QUERIES: Record<string, (db: Db, ids: string[]) => Promise<{ id: string; name: string }[]>> = {
  User: (db, ids) => db.$queryRaw`SELECT id, "displayName" AS name FROM "User" WHERE id = ANY(${ids}::text[])`,
  Student: (db, ids) => db.$queryRaw`SELECT id, name FROM "Student" WHERE id = ANY(${ids}::text[])`,
  Confirmation: (db, ids) => db.$queryRaw`SELECT id, name FROM "Student" WHERE id = ANY(${ids}::text[])`,
  Application: (db, ids) =>
    db.$queryRaw`SELECT a.id, s.name FROM "Application" a JOIN "Student" s ON s.id = a."studentId" WHERE a.id = ANY(${ids}::text[])`,
  HighSchool: (db, ids) => db.$queryRaw`SELECT id, name FROM "HighSchool" WHERE id = ANY(${ids}::text[])`,
  EnrollmentRegistration: (db, ids) => db.$queryRaw`SELECT id, name FROM "HighSchool" WHERE id = ANY(${ids}::text[])`,
  JuniorSchool: (db, ids) => db.$queryRaw`SELECT id, name FROM "JuniorSchool" WHERE id = ANY(${ids}::text[])`,
  HighSchoolPlan: (db, ids) =>
    db.$queryRaw`SELECT p.id, h.name FROM "HighSchoolPlan" p JOIN "HighSchool" h ON h.id = p."highSchoolId" WHERE p.id = ANY(${ids}::text[])`,
  Complaint: (db, ids) => db.$queryRaw`SELECT id, COALESCE(number, "schoolName") AS name FROM "Complaint" WHERE id = ANY(${ids}::text[])`,
  Cycle: (db, ids) => db.$queryRaw`SELECT id, name FROM "Cycle" WHERE id = ANY(${ids}::text[])`,
  Import: (db, ids) => db.$queryRaw`SELECT id, name FROM "Cycle" WHERE id = ANY(${ids}::text[])`,
  QuotaAllocation: (db, ids) => db.$queryRaw`SELECT id, name FROM "Cycle" WHERE id = ANY(${ids}::text[])`,
  Round: (db, ids) => db.$queryRaw`SELECT id, name FROM "Round" WHERE id = ANY(${ids}::text[]) AND name IS NOT NULL`,
  Flag: (db, ids) =>
    db.$queryRaw`SELECT f.id, string_agg(h.name, '、' ORDER BY h.id) AS name
                 FROM "Flag" f JOIN "HighSchool" h ON h.id = ANY(f."highSchoolIds") WHERE f.id = ANY(${ids}::text[]) GROUP BY f.id`,
};

/** Reading the audit log (inspectors); writing goes through the audit repository's `record`, in the change's transaction. */
export function createAuditLogRepository(db: Db) {
  /** Accounts whose username is `text`, or whose display name contains it. */
  async function actorIdsMatching(text: string): Promise<string[]> {
    const rows = await db.user.findMany({
      where: { OR: [{ username: text }, { displayName: { contains: text, mode: 'insensitive' } }] },
      select: { id: true },
      take: 1000,
    });
    return rows.map((r) => r.id);
  }

  return {
    /** Names of what entries are about: one statement per kind of entity among them; others are left out. */
    async subjectNames(entries: readonly { entity: string; entityId: string | null }[]): Promise<SubjectNames> {
      const idsByEntity = new Map<string, Set<string>>();
      for (const e of entries) {
        if (!e.entityId || !SUBJECT_QUERIES[e.entity]) continue;
        idsByEntity.set(e.entity, (idsByEntity.get(e.entity) ?? new Set()).add(e.entityId));
      }
      const found = await Promise.all(
        [...idsByEntity].map(async ([entity, ids]) => [entity, await SUBJECT_QUERIES[entity](db, [...ids])] as const),
      );
      return new Map(found.map(([entity, rows]) => [entity, new Map(rows.map((r) => [r.id, r.name]))]));
    },

    async list(filter: AuditLogFilter, page: { offset: number; limit: number }) {
      const where: Prisma.AuditLogWhereInput = {
        ...(filter.action ? { action: { startsWith: filter.action } } : {}),
        ...(filter.entity ? { entity: filter.entity } : {}),
        ...(filter.entityId ? { entityId: filter.entityId } : {}),
        ...(filter.actorId ? { actorId: filter.actorId } : {}),
        ...(filter.actor ? { actorId: { in: await actorIdsMatching(filter.actor) } } : {}),
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
