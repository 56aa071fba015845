import type { Prisma, PrismaClient } from '../db';
import { linkAuditEntry, type AuditChainHead } from '../domain/audit/chain';
import { auditRow, type AuditEntry, type AuditRow } from '../domain/audit/entry';
import type { Db } from './index';

export type { AuditRow } from '../domain/audit/entry';

/** A row with its place in the hash chain (server/domain/audit/chain.ts). */
export interface ChainedAuditRow extends AuditRow {
  seq: bigint;
  prevHash: string;
  hash: string;
}

/**
 * Key of the transaction-level advisory lock that serializes appends to the
 * chain. Any constant works as long as nothing else uses it. The database's
 * audit_log_append (migration audit_append, the saves' one-statement path)
 * takes the same key: change both together.
 */
export const AUDIT_CHAIN_LOCK_KEY = 7_420_260_001n;

/** The audit log: insert-only (the database refuses UPDATE, DELETE and TRUNCATE). */
export function createAuditRepository(db: Db) {
  const repository = {
    /**
     * Records one action in the audit log, in this repository's transaction, so
     * the entry is written if and only if the change is. The entry is appended
     * to the hash chain: under a lock held until the transaction ends, it takes
     * the next seq after the last committed entry and links to its hash (a
     * rolled-back transaction leaves no gap). Appends queue behind each other
     * until commit, so record the entry last, after any slow work.
     */
    async record(entry: AuditEntry): Promise<void> {
      // Given the client rather than a transaction, the lock would end with its statement.
      if (isClient(db)) return db.$transaction((inner) => createAuditRepository(inner).record(entry));
      const row = auditRow(entry);
      await repository.lockChain();
      await repository.insert(linkAuditEntry(row, await repository.chainHead()));
    },

    /**
     * Waits for the chain lock, held until the current transaction ends: the
     * head read next cannot change before this transaction's insert commits.
     * Call inside a READ COMMITTED transaction (Prisma's default), whose next
     * statement then sees every entry committed before the lock was granted.
     */
    async lockChain(): Promise<void> {
      await db.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY}::bigint)`;
    },

    /** The last entry of the chain, or null when the log is empty. */
    async chainHead(): Promise<AuditChainHead | null> {
      return db.auditLog.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
    },

    /**
     * Raw SQL so that PostgreSQL parses exactly JSON.stringify's text of
     * before/after, the text the hash was computed from: Prisma's own Json
     * writing rounds a bare number (0.30000000000000004 is stored as 0.3).
     * `at` is stored as UTC, as Prisma stores DateTime.
     */
    async insert(row: ChainedAuditRow): Promise<void> {
      await db.$executeRaw`
        INSERT INTO "AuditLog" ("seq", "prevHash", "hash", "at", "actorId", "actorRole", "action", "entity", "entityId", "before", "after", "requestId")
        VALUES (${row.seq}, ${row.prevHash}, ${row.hash}, ${row.at.toISOString()}::timestamp(3), ${row.actorId}, ${row.actorRole}::"Role",
                ${row.action}, ${row.entity}, ${row.entityId}, ${jsonText(row.before)}::jsonb, ${jsonText(row.after)}::jsonb, ${row.requestId})`;
    },
  };
  return repository;
}

/** null (no snapshot) stays SQL NULL, as before the chain. */
function jsonText(value: Prisma.InputJsonValue | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;

/** A transaction client has no `$disconnect` (it does have a `$transaction`, for nested transactions). */
function isClient(db: Db): db is PrismaClient {
  return '$disconnect' in db;
}
