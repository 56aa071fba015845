import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations } from '../../prisma/migrate';
import { createPrisma, type PrismaClient } from '../../server/db';
import { recordAudit } from '../../server/services/audit.service';

/** The data layer against the real test PostgreSQL: migrations and the Prisma client. */
describe('database', () => {
  const databaseUrl = inject('databaseUrl');
  let prisma: PrismaClient;

  beforeAll(() => {
    prisma = createPrisma(databaseUrl);
  });
  afterAll(async () => {
    await prisma.$disconnect();
  });

  it('has every checked-in migration applied and recorded in _prisma_migrations', async () => {
    const folders = readdirSync(new URL('../../prisma/migrations/', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const rows = await prisma.$queryRaw<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }[]>`
      SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name`;

    expect(folders.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.migration_name)).toEqual(folders);
    expect(rows.every((row) => row.finished_at !== null && row.rolled_back_at === null)).toBe(true);
  });

  it('applies nothing the second time', async () => {
    expect(await applyMigrations(databaseUrl)).toEqual([]);
  });

  it('creates and reads back a user through createPrisma', async () => {
    const username = `db-test-${Date.now()}`;
    const created = await prisma.user.create({
      data: { username, passwordHash: 'not-a-real-hash', role: 'junior', displayName: '测试初中', juniorSchoolId: 'J0101' },
    });

    const found = await prisma.user.findUnique({ where: { username } });

    expect(found).toMatchObject({
      id: created.id,
      role: 'junior',
      displayName: '测试初中',
      juniorSchoolId: 'J0101',
      mustChangePassword: false,
      failedLogins: 0,
      tokenVersion: 0,
      lockedUntil: null,
    });
    await expect(
      prisma.user.create({ data: { username, passwordHash: 'x', role: 'student', displayName: 'dup' } }),
    ).rejects.toThrow(/Unique constraint/);
  });

  it('keeps audit entries with JSON before/after and a growing BigInt id', async () => {
    const requestId = `db-test-${Date.now()}`;
    await recordAudit(prisma, { actor: { id: 'u0', role: 'bureau' }, action: 'user.update', entity: 'User', entityId: 'u1', before: { a: 1 }, after: { a: 2 }, requestId });
    await recordAudit(prisma, { actor: null, action: 'user.update', entity: 'User', entityId: 'u1', requestId });
    const [first, second] = await prisma.auditLog.findMany({ where: { requestId }, orderBy: { id: 'asc' } });

    expect(typeof first.id).toBe('bigint');
    expect(second.id).toBeGreaterThan(first.id);
    expect(second.seq).toBe(first.seq + 1n);
    expect(second.prevHash).toBe(first.hash);
    expect(first.after).toEqual({ a: 2 });
  });
});
