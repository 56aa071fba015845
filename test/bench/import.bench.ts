/**
 * `npm run bench:import [-- 50000 csv,xlsx]` or `npm run bench:import -- --students 800000`:
 * how long the student import takes for N students (default 50,000), as .csv
 * and as .xlsx (only .csv above 250,000 unless formats are named), in a
 * throwaway PostgreSQL (started here, fsync off, removed at the end) with
 * regions and junior schools imported first (a province's worth at large N:
 * one junior school per 300 students, eight per region).
 *
 * Each file goes the way of the bureau's upload: the API's check of the file
 * (a worker thread counts its rows, `upload check`), then the import job's
 * path (importUploadedFile, as jobs/handlers/import.run.ts runs it): the file
 * read, validated and written as staging lines in one pass in a worker
 * thread, one COPY into a staging table, identity checks set-based, and one
 * transaction of INSERT ... SELECT for students, 学籍 and accounts. Prints the
 * table of earlier runs, the stages (decode, parse + validate, stage, check,
 * write, accounts, commit), the process's peak RSS (the worker thread's
 * included), then how long issuing activation codes for all N students takes
 * and printing one junior school's slips (up to 250,000 students, or with
 * --codes), and last `import: students=<n> format=csv total_s=<t>`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { applyMigrations } from '../../prisma/migrate';
import { createPrisma } from '../../server/db';
import { SUBJECTS } from '../../server/demo/types';
import { IMPORT_COLUMNS } from '../../server/domain/imports/columns';
import { createSheetParsePool } from '../../server/infra/sheet-parse-pool';
import { startPostgres } from '../../server/infra/postgres';
import { createUnitOfWork } from '../../server/repositories';
import { systemClock } from '../../server/clock';
import { IMPORT_JOB_THRESHOLD, importUploadedFile } from '../../server/services/import.service';
import { createAccountService } from '../../server/services/account.service';
import { activationSlipsWorkbook } from '../../server/services/account-slips';
import { createAuthService } from '../../server/services/auth.service';
import { argon2Hasher, NO_PASSWORD_HASH } from '../../server/services/passwords';
import { createSecretBox } from '../../server/services/secret-box';
import { createTokenService } from '../../server/infra/tokens';

const argv = process.argv.slice(2);
const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1].startsWith('--')));
const N = Number(flag('--students') ?? positional[0] ?? 50_000);
/** Formats to measure: `csv,xlsx` (default up to 250,000 students, csv above) or one of them. */
const FORMATS = (positional[1] ?? flag('--formats') ?? (N > 250_000 ? 'csv' : 'csv,xlsx')).split(',');
/** Issue activation codes for every student afterwards (default up to 250,000 students). */
const CODES = argv.includes('--codes') || (N <= 250_000 && !argv.includes('--no-codes'));
const STUDENTS_PER_JUNIOR = 300;
const JUNIORS_PER_REGION = 8;
const JUNIORS = Math.max(150, Math.ceil(N / STUDENTS_PER_JUNIOR));
const REGIONS = Math.ceil(JUNIORS / JUNIORS_PER_REGION);

const juniorId = (j: number) => `J${String(j).padStart(5, '0')}`;
const regionCode = (r: number) => `R${String(r).padStart(3, '0')}`;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idCard(n: number): string {
  const body = `43020220${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (body.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return body + '10X98765432'[sum % 11];
}

function row(i: number): Record<string, string | number> {
  return {
    examNo: `2031${String(i).padStart(8, '0')}`,
    name: `考生${i}`,
    idCardNo: idCard(i),
    gender: i % 2 ? '男' : '女',
    birthDate: '2016-03-01',
    juniorSchoolId: juniorId(i % JUNIORS),
    enrolledSince: '2028-09-01',
    evaluation: 'ABCD'[i % 4],
    ...Object.fromEntries(SUBJECTS.map((s) => [`score.${s.key}`, (i * 7 + s.max) % (s.max + 1)])),
  };
}

/** The students CSV (UTF-8, Chinese headers) built in pieces of 10,000 rows, never one string of the whole file. */
function studentsCsv(cols: readonly { key: string; zh: string }[]): Buffer {
  const pieces: Buffer[] = [Buffer.from(cols.map((c) => c.zh).join(',') + '\n')];
  for (let i = 0; i < N; i += 10_000) {
    let text = '';
    for (let k = i; k < Math.min(N, i + 10_000); k++) {
      const r = row(k);
      text += cols.map((c) => r[c.key] ?? '').join(',') + '\n';
    }
    pieces.push(Buffer.from(text));
  }
  return Buffer.concat(pieces);
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zz-import-bench-'));
  const pg = await startPostgres({ dataDir: join(dir, 'pg'), database: 'bench', settings: { fsync: 'off', synchronous_commit: 'off' } });
  try {
    await applyMigrations(pg.url);
    const prisma = createPrisma(pg.url);
    await prisma.region.createMany({ data: Array.from({ length: REGIONS }, (_, r) => ({ code: regionCode(r), name: `区县${r}`, nameEn: `Region ${r}` })) });
    await prisma.juniorSchool.createMany({ data: Array.from({ length: JUNIORS }, (_, j) => ({ id: juniorId(j), name: `初中${j}`, regionCode: regionCode(Math.floor(j / JUNIORS_PER_REGION)), graduates: STUDENTS_PER_JUNIOR })) });
    const cycle = await prisma.cycle.create({ data: { year: 2031, name: 'bench', seed: 'bench', policy: { quotaEligibilityCutoff: '2030-09-01' }, status: 'active' } });
    const uow = createUnitOfWork(prisma);

    const cols = IMPORT_COLUMNS.students;
    const tGen = performance.now();
    const files: Record<string, Buffer> = {};
    if (FORMATS.includes('csv')) files.csv = studentsCsv(cols);
    if (FORMATS.includes('xlsx')) {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('数据');
      ws.addRow(cols.map((c) => c.zh));
      for (let i = 0; i < N; i++) {
        const r = row(i);
        ws.addRow(cols.map((c) => r[c.key] ?? null));
      }
      files.xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    }
    console.log(`students: ${N} (${JUNIORS} junior schools in ${REGIONS} regions; files generated in ${seconds(performance.now() - tGen)} s)`);

    const sheets = createSheetParsePool({ size: 1 });
    const summaries: string[] = [];
    const stageLines: string[] = [];
    for (const [format, bytes] of Object.entries(files)) {
      if (format !== Object.keys(files)[0]) await prisma.$executeRaw`TRUNCATE "Student", "StudentJuniorHistory", "User" CASCADE`;
      const t0 = performance.now();
      // The API's look at the upload: counted in a worker thread, sent to the job above IMPORT_JOB_THRESHOLD rows.
      const { dataRows } = await sheets.parse(bytes, { rowLimit: IMPORT_JOB_THRESHOLD });
      const t1 = performance.now();
      if (dataRows !== N) throw new Error(`expected ${N} data rows, counted ${dataRows}`);
      const timings: Record<string, number> = {};
      const result = await importUploadedFile({ uow, clock: systemClock, sheets }, { kind: 'students', bytes, cycle, actor: null, timings });
      const t2 = performance.now();
      if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.problems.slice(0, 3))}`);
      const count = await prisma.student.count({ where: { cycleId: cycle.id } });
      if (count !== N) throw new Error(`expected ${N} students, found ${count}`);
      const history = await prisma.studentJuniorHistory.count();
      if (history !== N) throw new Error(`expected ${N} 学籍 rows, found ${history}`);
      summaries.push(`${format} | ${(bytes.length / 1e6).toFixed(1)} | ${seconds(t1 - t0 + (timings.decode ?? 0) + (timings.validate ?? 0))} | ${seconds(t2 - t1 - (timings.decode ?? 0) - (timings.validate ?? 0))} | ${seconds(t2 - t0)}`);
      const stage = (name: string) => seconds(timings[name] ?? 0);
      stageLines.push(
        `${format} stages s: upload check (count rows) ${seconds(t1 - t0)} | decode ${stage('decode')} | parse+validate ${stage('validate')} | ` +
          `stage (COPY) ${stage('stage')} | check ${stage('check')} | write ${stage('write')} | accounts ${stage('accounts')} | commit ${stage('commit')} | total ${seconds(t2 - t0)}`,
      );
      stageLines.push(`import: students=${N} format=${format} total_s=${seconds(t2 - t0)}`);
    }
    await sheets.close();
    console.log('format | size MB | read s | validate+write s | total s');
    for (const line of summaries) console.log(line);
    for (const line of stageLines.filter((l) => !l.startsWith('import:'))) console.log(line);
    console.log(`peak RSS (this process and its worker thread): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

    // Accounts made by the import, then a code for every student.
    const studentAccounts = await prisma.user.count({ where: { role: 'student' } });
    if (studentAccounts !== N) throw new Error(`expected ${N} student accounts, found ${studentAccounts}`);
    if (CODES) {
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
      const usernames = Array.from({ length: N }, (_, i) => String(row(i).examNo));
      const t3 = performance.now();
      const issued = await accounts.issueCodes(bureau, { usernames });
      const t4 = performance.now();
      if (issued.length !== N) throw new Error(`expected ${N} codes, got ${issued.length}`);
      console.log(`issue codes ${N} students: ${((t4 - t3) / 1000).toFixed(2)} s`);
      const ofOneSchool = await accounts.issueCodes(bureau, { juniorSchoolId: juniorId(0) });
      const t5 = performance.now();
      const slips = await activationSlipsWorkbook(ofOneSchool, { signInUrl: 'https://zk.example.cn/' });
      console.log(`slips xlsx ${ofOneSchool.length} students of one junior school: ${((performance.now() - t5) / 1000).toFixed(2)} s, ${(slips.length / 1e3).toFixed(0)} kB`);
    }
    // The csv line last: what a reader of the run's end looks for.
    const lasts = stageLines.filter((l) => l.startsWith('import:'));
    for (const line of [...lasts.filter((l) => !l.includes('format=csv')), ...lasts.filter((l) => l.includes('format=csv'))]) console.log(line);
    await prisma.$disconnect();
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
