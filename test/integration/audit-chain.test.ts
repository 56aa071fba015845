import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations } from '../../prisma/migrate';
import { createPrisma, type PrismaClient } from '../../server/db';
import { canonicalAuditText, GENESIS_HASH } from '../../server/domain/audit/chain';
import { createAuditLogRepository } from '../../server/repositories/audit-log.repository';
import { recordAudit } from '../../server/services/audit.service';
import { verifyStoredAuditChain } from '../../server/services/audit-log.service';
import { createAccount, uniqueSuffix } from '../support/factories';
import { apiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const ROOT = path.join(__dirname, '../..');
const MIGRATIONS = path.join(ROOT, 'prisma/migrations');

/** `npm run -s audit:verify` against `databaseUrl`, as an operator runs it. */
function verifyCli(databaseUrl: string) {
  const run = spawnSync('npm', ['run', '-s', 'audit:verify'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: databaseUrl } });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

async function sql(databaseUrl: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/** A database of its own on the test server, for what must not touch the shared chain. */
async function scratchDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = inject('databaseUrl');
  const database = `${name}_${process.pid}_${Date.now()}`;
  await sql(server, `CREATE DATABASE "${database}"`);
  const url = new URL(server);
  url.pathname = `/${database}`;
  return { url: url.toString(), drop: () => sql(server, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).then(() => undefined) };
}

/** Runs `statement` on the audit table with its append-only trigger off, as a table owner could. */
async function tamper(databaseUrl: string, statement: string): Promise<void> {
  await sql(
    databaseUrl,
    `ALTER TABLE "AuditLog" DISABLE TRIGGER "AuditLog_append_only"; ${statement}; ALTER TABLE "AuditLog" ENABLE TRIGGER "AuditLog_append_only"`,
  );
}

class RolledBack extends Error {}

describe('audit log hash chain', () => {
  const databaseUrl = inject('databaseUrl');
  let server: TestServer;
  let prisma: PrismaClient;

  beforeAll(async () => {
    server = await startTestServer();
    prisma = createPrisma(databaseUrl, { poolSize: 10 });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await server?.stop();
  });

  it('chains 50 concurrent audited transactions and concurrent sign-ins without a gap or a fork', async () => {
    const marker = `chain-${uniqueSuffix()}`;
    const bureaus = await Promise.all(Array.from({ length: 8 }, () => createAccount(server.prisma, 'bureau')));
    const before = await createAuditLogRepository(prisma).chainHead();
    const api = apiClient(server.url);

    const writes = Array.from({ length: 50 }, (_, i) =>
      prisma.$transaction(
        async (tx) => {
          await recordAudit(tx, {
            actor: { id: `u${i}`, role: 'bureau' },
            action: 'test.concurrent',
            entity: 'Test',
            entityId: String(i),
            after: { i, note: `第${i}条`, nested: { z: i / 7, a: [i, null, true] } },
            requestId: marker,
          });
          if (i % 10 === 9) throw new RolledBack(); // its entry must leave no gap
        },
        { maxWait: 120_000, timeout: 120_000 },
      ),
    );
    const logins = bureaus.map((b) => api.login(b.username, b.password)); // auth.login is audited for the bureau
    const settled = await Promise.allSettled([...writes, ...logins]);

    const failures = settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason);
    expect(failures).toHaveLength(5);
    expect(failures.every((f) => f instanceof RolledBack)).toBe(true);

    const ours = await prisma.auditLog.findMany({ where: { requestId: marker }, orderBy: { seq: 'asc' } });
    expect(ours.map((e) => Number(e.entityId)).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 10 !== 9));
    const head = await createAuditLogRepository(prisma).chainHead();
    // Every committed entry got the next seq: 45 writes and 8 sign-ins, no seq taken by a rollback.
    expect(head!.seq - (before?.seq ?? 0n)).toBe(53n);
    const report = await verifyStoredAuditChain(createAuditLogRepository(prisma), { batchSize: 17 });
    expect(report).toEqual({ ok: true, count: Number(head!.seq), head });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit entries in the database', async () => {
    await recordAudit(prisma, { actor: null, action: 'test.append-only', entity: 'Test' });
    const head = (await createAuditLogRepository(prisma).chainHead())!;

    await expect(sql(databaseUrl, `UPDATE "AuditLog" SET "action" = 'x' WHERE "seq" = $1`, [head.seq])).rejects.toThrow(
      /audit log is append-only: UPDATE on "AuditLog" is not allowed/,
    );
    await expect(sql(databaseUrl, `DELETE FROM "AuditLog" WHERE "seq" = $1`, [head.seq])).rejects.toThrow(/append-only: DELETE/);
    await expect(sql(databaseUrl, 'TRUNCATE "AuditLog"')).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(prisma.auditLog.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(prisma.auditLog.update({ where: { seq: head.seq }, data: { after: { forged: true } } })).rejects.toThrow(/append-only/);
    // An entry that does not extend the chain is refused too.
    await expect(
      prisma.auditLog.create({ data: { action: 'x', entity: 'Test', seq: head.seq + 5n, prevHash: head.hash, hash: GENESIS_HASH } }),
    ).rejects.toThrow(/does not extend the chain/);
    await expect(
      prisma.auditLog.create({ data: { action: 'x', entity: 'Test', seq: head.seq + 1n, prevHash: head.hash, hash: GENESIS_HASH } }),
    ).rejects.toThrow(/not the SHA-256 of its canonical text/);

    expect(await createAuditLogRepository(prisma).chainHead()).toEqual(head);
    expect((await verifyStoredAuditChain(createAuditLogRepository(prisma))).ok).toBe(true);
  });

  it('hashes any JSON exactly as PostgreSQL prints it back from jsonb', async () => {
    // Strings with escapes, control characters, CJK, emoji and a lone surrogate; \u0000 is the one character jsonb refuses.
    const char = fc.oneof(
      fc.constantFrom('"', '\\', '/', '\n', '\t', '\r', '\b', '\f', '\u0001', '\u001f', '\u007f', '\u2028', 'é', '学', '😀', '\ud800', 'a', 'B'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !c.includes('\u0000')),
    );
    const json = fc.jsonValue({ maxDepth: 4, stringUnit: char });
    const marker = `jsonb-${uniqueSuffix()}`;
    await fc.assert(
      fc.asyncProperty(json, json, fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), async (before, after, at) => {
        // The database checks the hash of every insert against its own canonical text: a disagreement fails here.
        await recordAudit(prisma, { actor: null, action: 'test.jsonb', entity: 'Test', before, after, at, requestId: marker });
        const [stored] = await prisma.$queryRaw<{ seq: bigint; canonical: string }[]>`
          SELECT "seq", audit_log_canonical(a.*) AS canonical FROM "AuditLog" a ORDER BY "seq" DESC LIMIT 1`;
        const row = await prisma.auditLog.findUniqueOrThrow({ where: { seq: stored.seq } });
        expect(canonicalAuditText(row)).toBe(stored.canonical);
      }),
      { numRuns: 60 },
    );
    expect((await verifyStoredAuditChain(createAuditLogRepository(prisma))).ok).toBe(true);
  });

  it('shows auditors the verified head (GET /api/audit/verify) and every entry\'s seq and hash', async () => {
    const api = apiClient(server.url);
    const auditor = await createAccount(server.prisma, 'auditor');
    const bureau = await createAccount(server.prisma, 'bureau');
    const token = await api.login(auditor.username, auditor.password);
    const action = `test.api-${uniqueSuffix()}`;
    await recordAudit(prisma, { actor: null, action, entity: 'Test' });
    const head = (await createAuditLogRepository(prisma).chainHead())!;

    const verified = await api.get('/api/audit/verify', { token });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ ok: true, count: Number(head.seq), head: { seq: head.seq.toString(), hash: head.hash }, broken: null });

    const page = await api.get(`/api/audit?action=${action}`, { token });
    expect(page.body.items).toEqual([expect.objectContaining({ action, seq: head.seq.toString(), hash: head.hash })]);

    const bureauToken = await api.login(bureau.username, bureau.password);
    expect((await api.get('/api/audit/verify', { token: bureauToken })).status).toBe(403);
    expect((await api.get('/api/audit/verify')).status).toBe(401);
  });

  it('npm run audit:verify exits 0 with the head on a valid chain, 2 when it cannot connect', async () => {
    const head = (await createAuditLogRepository(prisma).chainHead())!;
    const ok = verifyCli(databaseUrl);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(`OK: ${head.seq} entries, head seq ${head.seq} hash ${head.hash}`);

    const unreachable = new URL(databaseUrl);
    unreachable.port = '1';
    const down = verifyCli(unreachable.toString());
    expect(down.status).toBe(2);
    expect(down.stderr).toMatch(/cannot connect to the database/);
    expect(down.stderr).not.toContain(unreachable.password);
  });

  describe('in a database of its own', () => {
    const dropAll: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const drop of dropAll) await drop();
    });

    it('chains the entries written before the chain existed, in the order they were written', async () => {
      const db = await scratchDatabase('audit_backfill');
      dropAll.push(db.drop);
      const folders = readdirSync(MIGRATIONS).filter((f) => /^\d{14}_/.test(f)).sort();
      const chainAt = folders.findIndex((f) => f.endsWith('_audit_chain'));
      expect(chainAt).toBeGreaterThan(0);
      for (const folder of folders.slice(0, chainAt)) await sql(db.url, readFileSync(path.join(MIGRATIONS, folder, 'migration.sql'), 'utf8'));

      // Entries as the platform wrote them before: JSON.stringify'd snapshots, some without an actor.
      const legacy = [
        { before: null, after: { seed: 'zhuzhou-demo', students: 45_000 } },
        { before: { b: 1, a: [1.5, 1e21, 1e-7, -0, 'x"\\\n\u0001é😀'], 学校: { z: null } }, after: null },
        { before: { '': 1, aa: 3, b: 4 }, after: [1, 2, 3] },
        { before: 'text', after: 42 },
        { before: { status: 'succeeded' }, after: { status: 'published', publishedAt: '2026-07-01T08:00:00.000Z' } },
      ];
      for (const [i, entry] of legacy.entries()) {
        await sql(
          db.url,
          `INSERT INTO "AuditLog" ("at", "actorId", "actorRole", "action", "entity", "entityId", "before", "after", "requestId")
           VALUES ($1, $2, $3, 'legacy.action', 'Test', $4, $5, $6, $7)`,
          [
            new Date(Date.UTC(2026, 5, 1, 8, 0, 0, 100 * i + 7)).toISOString(),
            i % 2 ? `u${i}` : null,
            i % 2 ? 'bureau' : null,
            `e${i}`,
            entry.before === null ? null : JSON.stringify(entry.before),
            entry.after === null ? null : JSON.stringify(entry.after),
            i === 3 ? 'req-3' : null,
          ],
        );
      }
      for (const folder of folders.slice(chainAt)) await sql(db.url, readFileSync(path.join(MIGRATIONS, folder, 'migration.sql'), 'utf8'));

      const prismaOwn = createPrisma(db.url, { poolSize: 2 });
      try {
        const rows = await prismaOwn.auditLog.findMany({ orderBy: { id: 'asc' }, select: { seq: true, entityId: true } });
        expect(rows.map((r) => r.seq)).toEqual([1n, 2n, 3n, 4n, 5n]);
        expect(rows.map((r) => r.entityId)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
        // New entries extend the backfilled chain.
        await recordAudit(prismaOwn, { actor: null, action: 'test.after-backfill', entity: 'Test', after: { ok: true } });
        const head = (await createAuditLogRepository(prismaOwn).chainHead())!;
        expect(head.seq).toBe(6n);
        const cli = verifyCli(db.url);
        expect(cli).toMatchObject({ status: 0, stdout: `OK: 6 entries, head seq 6 hash ${head.hash}` });
      } finally {
        await prismaOwn.$disconnect();
      }
    });

    it('names the first tampered entry and exits 1 once the triggers are bypassed', async () => {
      const db = await scratchDatabase('audit_tamper');
      dropAll.push(db.drop);
      await applyMigrations(db.url);
      const prismaOwn = createPrisma(db.url, { poolSize: 2 });
      try {
        for (let i = 1; i <= 8; i++) {
          await prismaOwn.$transaction((tx) =>
            recordAudit(tx, { actor: { id: 'b1', role: 'bureau' }, action: 'plan.approve', entity: 'HighSchoolPlan', entityId: `H0${i}`, after: { capacity: 500 + i } }),
          );
        }
        expect(verifyCli(db.url)).toMatchObject({ status: 0, stdout: expect.stringMatching(/^OK: 8 entries, head seq 8 hash [0-9a-f]{64}$/) });

        await tamper(db.url, `DELETE FROM "AuditLog" WHERE "seq" = 6`);
        const gap = verifyCli(db.url);
        expect(gap.status).toBe(1);
        expect(gap.stdout).toMatch(/^BROKEN at seq 6 \(gap\): expected seq 6 next, found seq 7/);

        // Rewriting an entry and its hash still breaks the link from the next one.
        await tamper(db.url, `UPDATE "AuditLog" SET "after" = '{"capacity": 999}' WHERE "seq" = 4; UPDATE "AuditLog" a SET "hash" = audit_log_hash(a) WHERE "seq" = 4`);
        const relinked = verifyCli(db.url);
        expect(relinked.status).toBe(1);
        expect(relinked.stdout).toMatch(/^BROKEN at seq 5 \(prevHash\)/);

        await tamper(db.url, `UPDATE "AuditLog" SET "after" = '{"capacity": 1000}' WHERE "seq" = 2`);
        const changed = verifyCli(db.url);
        expect(changed.status).toBe(1);
        expect(changed.stdout).toMatch(/^BROKEN at seq 2 \(hash\): stored hash [0-9a-f]{64} does not match its contents/);
        expect(changed.stdout).toMatch(/1 entry verified before it$/);
      } finally {
        await prismaOwn.$disconnect();
      }
    });
  });
});
