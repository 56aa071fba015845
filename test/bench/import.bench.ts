/**
 * `node --import tsx test/bench/import.bench.ts [50000] [csv,xlsx]`: how long the student
 * import takes for N students (default 50,000), as .csv and as .xlsx: reading
 * the file, validating every row, and writing all of them in one transaction
 * into a throwaway PostgreSQL (started here, removed at the end). Prints a table,
 * then how long issuing activation codes for all N students takes (one bulk
 * write through the account service) and printing one junior school's slips.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { applyMigrations } from '../../prisma/migrate';
import { createPrisma } from '../../server/db';
import { SUBJECTS } from '../../server/demo/types';
import { IMPORT_COLUMNS } from '../../server/domain/imports/columns';
import { readSheet } from '../../server/infra/read-file';
import { startPostgres } from '../../server/infra/postgres';
import { createUnitOfWork } from '../../server/repositories';
import { systemClock } from '../../server/clock';
import { executeImport } from '../../server/services/import.service';
import { createAccountService } from '../../server/services/account.service';
import { activationSlipsWorkbook } from '../../server/services/account-slips';
import { createAuthService } from '../../server/services/auth.service';
import { argon2Hasher, NO_PASSWORD_HASH } from '../../server/services/passwords';
import { createSecretBox } from '../../server/services/secret-box';
import { createTokenService } from '../../server/infra/tokens';

const N = Number(process.argv[2] ?? 50_000);
/** Formats to measure: `csv,xlsx` (default) or one of them. */
const FORMATS = (process.argv[3] ?? 'csv,xlsx').split(',');

function idCard(n: number): string {
  const body = `43020220${String(n).padStart(9, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

function row(i: number): Record<string, string | number> {
  return {
    examNo: `2031${String(i).padStart(8, '0')}`,
    name: `考生${i}`,
    idCardNo: idCard(i),
    gender: i % 2 ? '男' : '女',
    birthDate: '2016-03-01',
    juniorSchoolId: `J${String(i % 150).padStart(4, '0')}`,
    enrolledSince: '2028-09-01',
    evaluation: 'ABCD'[i % 4],
    ...Object.fromEntries(SUBJECTS.map((s) => [`score.${s.key}`, (i * 7 + s.max) % (s.max + 1)])),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zz-import-bench-'));
  const pg = await startPostgres({ dataDir: join(dir, 'pg'), database: 'bench', settings: { fsync: 'off', synchronous_commit: 'off' } });
  try {
    await applyMigrations(pg.url);
    const prisma = createPrisma(pg.url);
    await prisma.region.create({ data: { code: 'HT', name: '荷塘区', nameEn: 'Hetang' } });
    await prisma.juniorSchool.createMany({ data: Array.from({ length: 150 }, (_, j) => ({ id: `J${String(j).padStart(4, '0')}`, name: `初中${j}`, regionCode: 'HT', graduates: 300 })) });
    const cycle = await prisma.cycle.create({ data: { year: 2031, name: 'bench', seed: 'bench', policy: { quotaEligibilityCutoff: '2030-09-01' }, status: 'active' } });
    const uow = createUnitOfWork(prisma);

    const cols = IMPORT_COLUMNS.students;
    const rows = Array.from({ length: N }, (_, i) => row(i));
    const csv = [cols.map((c) => c.zh).join(','), ...rows.map((r) => cols.map((c) => r[c.key] ?? '').join(','))].join('\n');
    const files: Record<string, Buffer> = {};
    if (FORMATS.includes('csv')) files.csv = Buffer.from(csv);
    if (FORMATS.includes('xlsx')) {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('数据');
      ws.addRow(cols.map((c) => c.zh));
      for (const r of rows) ws.addRow(cols.map((c) => r[c.key] ?? null));
      files.xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    }

    console.log(`students: ${N}`);
    console.log('format | size MB | read s | validate+write s | total s');
    for (const [format, bytes] of Object.entries(files)) {
      const t0 = performance.now();
      const sheet = await readSheet(bytes);
      const t1 = performance.now();
      const result = await executeImport({ uow, clock: systemClock }, { kind: 'students', sheet, cycle, actor: null });
      const t2 = performance.now();
      if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.problems.slice(0, 3))}`);
      const count = await prisma.student.count({ where: { cycleId: cycle.id } });
      if (count !== N) throw new Error(`expected ${N} students, found ${count}`);
      console.log(`${format} | ${(bytes.length / 1e6).toFixed(1)} | ${((t1 - t0) / 1000).toFixed(2)} | ${((t2 - t1) / 1000).toFixed(2)} | ${((t2 - t0) / 1000).toFixed(2)}`);
    }

    // Accounts made by the import, then a code for every student.
    const studentAccounts = await prisma.user.count({ where: { role: 'student' } });
    if (studentAccounts !== N) throw new Error(`expected ${N} student accounts, found ${studentAccounts}`);
    const secret = 'bench-secret-bench-secret-bench-secret';
    const auth = createAuthService({
      uow,
      tokens: createTokenService({ secret, ttlSeconds: 900, now: () => systemClock.now() }),
      passwords: argon2Hasher,
      clock: systemClock,
      refreshTtlSeconds: 86_400,
      bureauTotpRequired: false,
      secretBox: createSecretBox(secret, 'totp-secret'),
      nameKey: secret,
    });
    const accounts = createAccountService({ uow, clock: systemClock, auth, passwords: argon2Hasher });
    const bureau = await prisma.user.create({ data: { username: 'bureau', passwordHash: NO_PASSWORD_HASH, role: 'bureau', displayName: '市教育局' } });
    const usernames = rows.map((r) => String(r.examNo));
    const t3 = performance.now();
    const issued = await accounts.issueCodes(bureau, { usernames });
    const t4 = performance.now();
    if (issued.length !== N) throw new Error(`expected ${N} codes, got ${issued.length}`);
    console.log(`issue codes ${N} students: ${((t4 - t3) / 1000).toFixed(2)} s`);
    const ofOneSchool = await accounts.issueCodes(bureau, { juniorSchoolId: 'J0000' });
    const t5 = performance.now();
    const slips = await activationSlipsWorkbook(ofOneSchool, { signInUrl: 'https://zk.example.cn/' });
    console.log(`slips xlsx ${ofOneSchool.length} students of one junior school: ${((performance.now() - t5) / 1000).toFixed(2)} s, ${(slips.length / 1e3).toFixed(0)} kB`);
    await prisma.$disconnect();
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
