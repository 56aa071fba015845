import type { ApprovalSubject } from '../domain/approvals/approvals';
import type { Db } from './index';

/** An approval as shown to the bureau and written to the audit log: who, by name, and when. */
export interface ApprovalRow {
  subjectId: string;
  userId: string;
  username: string;
  displayName: string;
  createdAt: Date;
}

const APPROVAL = { subjectId: true, userId: true, username: true, displayName: true, createdAt: true } as const;

/**
 * Four-eyes approvals (server/domain/approvals/approvals.ts) and the seed
 * commitment of a cycle (server/domain/rounds/seed.ts). Approvals are
 * city-wide bureau actions: the services check the caller is the city bureau.
 */
export function createApprovalRepository(db: Db) {
  return {
    /**
     * Serializes approvals of one subject until the transaction ends (a
     * transaction-scoped advisory lock), so two accounts approving at once
     * see each other's approval and only one of them completes the action.
     */
    async lockSubject(subject: ApprovalSubject, subjectId: string): Promise<void> {
      await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`approval:${subject}:${subjectId}`}, 0))`;
    },

    /** The approvals of one subject, oldest first. */
    list(subject: ApprovalSubject, subjectId: string): Promise<ApprovalRow[]> {
      return db.approval.findMany({ where: { subject, subjectId }, orderBy: { createdAt: 'asc' }, select: APPROVAL });
    },

    /** The approvals of several subjects of one kind, oldest first, by subject id. */
    async listMany(subject: ApprovalSubject, subjectIds: readonly string[]): Promise<Map<string, ApprovalRow[]>> {
      const rows = subjectIds.length === 0 ? [] : await db.approval.findMany({ where: { subject, subjectId: { in: [...subjectIds] } }, orderBy: { createdAt: 'asc' }, select: APPROVAL });
      const out = new Map<string, ApprovalRow[]>();
      for (const row of rows) out.set(row.subjectId, [...(out.get(row.subjectId) ?? []), row]);
      return out;
    },

    /** Records an approval by a user (its name copied as it is now). A second one by the same user fails the unique index. */
    async add(subject: ApprovalSubject, subjectId: string, userId: string, at: Date): Promise<ApprovalRow> {
      const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { username: true, displayName: true } });
      return db.approval.create({ data: { subject, subjectId, userId, username: user.username, displayName: user.displayName, createdAt: at }, select: APPROVAL });
    },

    /** Stores a cycle's seed commitment unless one is stored already; true when this call stored it. */
    async commitSeed(cycleId: string, commitment: string, at: Date): Promise<boolean> {
      const { count } = await db.cycle.updateMany({ where: { id: cycleId, seedCommitment: null }, data: { seedCommitment: commitment, seedCommittedAt: at } });
      return count === 1;
    },

    /** Replaces a cycle's seed while no commitment is stored; false when one is (the seed is fixed). */
    async setSeed(cycleId: string, seed: string): Promise<boolean> {
      const { count } = await db.cycle.updateMany({ where: { id: cycleId, seedCommitment: null }, data: { seed } });
      return count === 1;
    },

    /** A cycle's seed and its stored commitment. */
    seedOf(cycleId: string) {
      return db.cycle.findUnique({ where: { id: cycleId }, select: { id: true, seed: true, seedCommitment: true, seedCommittedAt: true } });
    },
  };
}
