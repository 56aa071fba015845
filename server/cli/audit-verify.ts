/**
 * `npm run -s audit:verify`: verifies the hash chain of the audit log in the
 * database named by DATABASE_URL (server/domain/audit/chain.ts). Reads every
 * entry in seq order, a batch at a time, and recomputes every hash.
 *
 * Prints `OK: <n> entries, head seq <seq> hash <sha256>` and exits 0; or
 * `BROKEN at seq <seq> (<reason>): ...` naming the first bad entry and exits 1;
 * exits 2 when it cannot run (no DATABASE_URL, the database unreachable).
 * Note the head down: an entry removed from the end leaves a valid, shorter chain.
 */
import { createPrisma } from '../db';
import { describeAuditChainReport } from '../domain/audit/chain';
import { createAuditLogRepository } from '../repositories/audit-log.repository';
import { verifyStoredAuditChain } from '../services/audit-log.service';

const PROGRESS_EVERY = 100_000;

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    process.stderr.write('audit:verify: DATABASE_URL is not set: it names the database whose audit log to verify.\n');
    return 2;
  }
  const prisma = createPrisma(databaseUrl, { poolSize: 1 });
  try {
    try {
      await prisma.$queryRaw`SELECT 1`;
    } catch (error) {
      // Prisma's message spans several lines; the cause is on the last.
      const cause = String((error as Error).message).trim().split('\n').at(-1);
      process.stderr.write(`audit:verify: cannot connect to the database: ${cause}\n`);
      return 2;
    }
    let reported = 0;
    const report = await verifyStoredAuditChain(createAuditLogRepository(prisma), {
      onProgress: (verified) => {
        if (verified - reported < PROGRESS_EVERY) return;
        reported = verified;
        process.stderr.write(`audit:verify: ${verified} entries verified...\n`);
      },
    });
    process.stdout.write(`${describeAuditChainReport(report)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await prisma.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
