import { Prisma } from '../db';
import type { AuditLogFilter } from './audit-log.repository';
import type { Db } from './index';

/** The action under which a saved version of a student's choices (志愿) is shown in the audit log. */
export const SAVE_ACTION = 'application.save';

/** One entry of the audit log as read: a chained entry of "AuditLog", or a save read from "ApplicationVersion". */
export interface AuditEntryRow {
  /** The chained entry's id, or `v:` and the version row's id for a save. */
  id: string;
  /** Position in the hash chain; null for a save (not chained, see application.repository.ts saveVersion). */
  seq: bigint | null;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  hash: string | null;
}

/** Whether entries of a save can match `filter` (else the chained log alone answers it). */
export function filterMaySelectSaves(filter: AuditLogFilter): boolean {
  return (!filter.action || SAVE_ACTION.startsWith(filter.action)) && (!filter.entity || filter.entity === 'Application');
}

/** `text` as a literal part of an ILIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The audit log as inspectors read it: the hash-chained entries of "AuditLog"
 * and, merged in time order, every saved version of a student's choices from
 * "ApplicationVersion" (the save's own append-only record, no longer a chain
 * entry: the chain's global lock serialised deadline night's saves). A save
 * chained before that change (an "AuditLog" entry of the same application
 * and version) is shown once, from the chain.
 */
export function createApplicationAuditRepository(db: Db) {
  /** Accounts whose username is `text`, or whose display name contains it (as audit-log.repository's filter). */
  const actorMatches = (column: Prisma.Sql, text: string) =>
    Prisma.sql`${column} IN (SELECT id FROM "User" WHERE username = ${text} OR "displayName" ILIKE ${`%${likeLiteral(text)}%`} LIMIT 1000)`;

  function chainedWhere(filter: AuditLogFilter): Prisma.Sql {
    const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
    if (filter.action) parts.push(Prisma.sql`l.action LIKE ${`${likeLiteral(filter.action)}%`}`);
    if (filter.entity) parts.push(Prisma.sql`l.entity = ${filter.entity}`);
    if (filter.entityId) parts.push(Prisma.sql`l."entityId" = ${filter.entityId}`);
    if (filter.actorId) parts.push(Prisma.sql`l."actorId" = ${filter.actorId}`);
    if (filter.actor) parts.push(actorMatches(Prisma.sql`l."actorId"`, filter.actor));
    if (filter.from) parts.push(Prisma.sql`l.at >= ${filter.from}`);
    if (filter.to) parts.push(Prisma.sql`l.at < ${filter.to}`);
    return Prisma.join(parts, ' AND ');
  }

  function savesWhere(filter: AuditLogFilter): Prisma.Sql {
    const parts: Prisma.Sql[] = [
      Prisma.sql`NOT EXISTS (SELECT 1 FROM "AuditLog" c WHERE c.entity = 'Application' AND c."entityId" = v."applicationId"
                               AND c.action = ${SAVE_ACTION} AND c.after ->> 'version' = v.version::text)`,
    ];
    if (!filterMaySelectSaves(filter)) parts.push(Prisma.sql`FALSE`);
    if (filter.entityId) parts.push(Prisma.sql`v."applicationId" = ${filter.entityId}`);
    if (filter.actorId) parts.push(Prisma.sql`v."savedBy" = ${filter.actorId}`);
    if (filter.actor) parts.push(actorMatches(Prisma.sql`v."savedBy"`, filter.actor));
    if (filter.from) parts.push(Prisma.sql`v."savedAt" >= ${filter.from}`);
    if (filter.to) parts.push(Prisma.sql`v."savedAt" < ${filter.to}`);
    return Prisma.join(parts, ' AND ');
  }

  return {
    /**
     * One page of the merged log, newest first (ties: chained entries by id,
     * then saves by id, newest first), and how many entries match in all.
     */
    async list(filter: AuditLogFilter, page: { offset: number; limit: number }): Promise<{ total: number; rows: AuditEntryRow[] }> {
      const chained = chainedWhere(filter);
      const saves = savesWhere(filter);
      const [counts, rows] = await Promise.all([
        db.$queryRaw<{ chained: bigint; saves: bigint }[]>`
          SELECT (SELECT count(*) FROM "AuditLog" l WHERE ${chained}) AS chained,
                 (SELECT count(*) FROM "ApplicationVersion" v WHERE ${saves}) AS saves`,
        db.$queryRaw<(AuditEntryRow & { seq: bigint | null })[]>`
          SELECT id, seq, at, "actorId", "actorRole", action, entity, "entityId", before, after, "requestId", hash FROM (
            SELECT l.id::text AS id, l.id AS n, l.seq, l.at, l."actorId", l."actorRole"::text AS "actorRole", l.action, l.entity, l."entityId",
                   l.before, l.after, l."requestId", l.hash
            FROM "AuditLog" l WHERE ${chained}
            UNION ALL
            SELECT 'v:' || v.id, NULL, NULL, v."savedAt", v."savedBy", u.role::text, ${SAVE_ACTION}, 'Application', v."applicationId",
                   NULL, jsonb_build_object('kind', a.kind::text, 'version', v.version), NULL, NULL
            FROM "ApplicationVersion" v
            JOIN "Application" a ON a.id = v."applicationId"
            LEFT JOIN "User" u ON u.id = v."savedBy"
            WHERE ${saves}
          ) e
          ORDER BY at DESC, n DESC NULLS LAST, id DESC
          OFFSET ${page.offset} LIMIT ${page.limit}`,
      ]);
      return { total: Number(counts[0].chained) + Number(counts[0].saves), rows };
    },
  };
}

export type ApplicationAuditRepository = ReturnType<typeof createApplicationAuditRepository>;
