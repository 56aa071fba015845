/**
 * Imports the corpus of real-world files (test/fixtures/imports/, written by
 * make-corpus.ts) through HTTP as the bureau, as a bureau's offices make them:
 * GBK with English or field-key headers, Excel's CSV UTF-8 and Unicode text,
 * a stray byte, a header without rows, a formula without a value, zip bombs.
 * Good files store exactly the names in them; every bad one is refused with
 * its row, column or encoding, and leaves the students and the audit log as
 * they were.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBJECTS } from '../../server/demo/types';
import { IMPORT_COLUMNS } from '../../server/domain/imports/columns';
import { scheduleFrom, type Phase } from '../../server/domain/schedule/schedule';
import { readSheet } from '../../server/infra/read-file';
import { createUnitOfWork } from '../../server/repositories';
import { createImportRepository } from '../../server/repositories/import.repository';
import { executeImport, isUniqueViolation } from '../../server/services/import.service';
import { createTestClock } from '../support/clock';
import { createAccount } from '../support/factories';
import { apiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const DAY = 86_400_000;
const DAYS: Record<Phase, number> = { setup: 30, plans_published: 10, applications_open: 10, applications_closed: 5, round1: 3, confirmation: 5, supplementary: 5, registration: 10, closed: 30 };
const START = new Date('2032-01-01T00:00:00Z');

const fixture = (name: string) => readFileSync(new URL(`../fixtures/imports/${name}`, import.meta.url));

function idCard(n: number): string {
  const body = `430202200901${String(n).padStart(5, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** A UTF-8 student file with Chinese headers, for the identity cases. */
function studentsCsv(rows: { examNo: string; name: string; idCardNo: string }[]): Buffer {
  const cols = IMPORT_COLUMNS.students;
  const values = (r: { examNo: string; name: string; idCardNo: string }): Record<string, string> => ({
    ...r,
    gender: '男',
    juniorSchoolId: 'FXJ01',
    enrolledSince: '2023-09-01',
    evaluation: 'B',
    ...Object.fromEntries(SUBJECTS.map((s) => [`score.${s.key}`, '50'])),
  });
  return Buffer.from([cols.map((c) => c.zh).join(','), ...rows.map((r) => cols.map((c) => values(r)[c.key] ?? '').join(','))].join('\n') + '\n');
}

describe('imports of real-world files', () => {
  const clock = createTestClock(new Date(START.getTime() + 2 * DAY));
  let server: TestServer;
  let bureau: string;
  let cycleId: string;

  const upload = (kind: string, body: Buffer, lang = 'zh-CN') =>
    fetch(`${server.url}/api/imports/${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/octet-stream', 'accept-language': lang },
      body: new Uint8Array(body),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  const state = async () => ({
    students: await server.prisma.student.count({ where: { cycleId } }),
    audit: await server.prisma.auditLog.count({ where: { entityId: cycleId, action: { startsWith: 'import.' } } }),
  });

  const namesOf = async (examNos: string[]) =>
    (await server.prisma.student.findMany({ where: { cycleId, examNo: { in: examNos } }, orderBy: { examNo: 'asc' }, select: { name: true } })).map((s) => s.name);

  beforeAll(async () => {
    server = await startTestServer({ clock, worker: true, env: { JWT_TTL: '30d' } });
    const api = apiClient(server.url, { checkResponses: true });
    const b = await createAccount(server.prisma, 'bureau');
    bureau = await api.login(b.username, b.password);
    const year = 3000 + Math.floor(Math.random() * 6999);
    const res = await api.post('/api/cycles', { year, name: `编码 ${year}`, windows: scheduleFrom(START, DAYS), policy: { quotaEligibilityCutoff: '2024-09-01' } }, { token: bureau });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    cycleId = res.body.cycle.id;
  });

  afterAll(async () => {
    if (cycleId) await server.prisma.cycle.update({ where: { id: cycleId }, data: { status: 'archived' } });
    await server?.stop();
  });

  it('imports regions (GBK, English headers) and junior schools (GBK, field keys) with their Chinese names', async () => {
    expect(await upload('regions', fixture('regions-gbk-english.csv'))).toMatchObject({ status: 200, body: { imported: 1 } });
    expect(await upload('junior-schools', fixture('junior-schools-gbk-keys.csv'))).toMatchObject({ status: 200, body: { imported: 2 } });
    expect((await server.prisma.region.findUniqueOrThrow({ where: { code: 'FXR1' } })).name).toBe('株洲测试区');
    expect((await server.prisma.juniorSchool.findMany({ where: { id: { in: ['FXJ01', 'FXJ02'] } }, orderBy: { id: 'asc' } })).map((j) => j.name)).toEqual(['测试第一中学', '测试第二中学']);
  });

  it.each([
    ['students-gbk-english.csv', 101, ['郑然', '郑伟', '谢平', '叶远']],
    ['students-gbk-keys.csv', 201, ['魏然', '姚远', '陆平', '石伟']],
    ['students-utf8-excel.csv', 301, ['欧阳娜娜', '阿卜杜·买买提', '王喆']],
    ['students-utf16le-tab.txt', 401, ['李堃', '陈玥', '赵一']],
  ])('stores the names of %s exactly', async (file, first, names) => {
    const res = await upload('students', fixture(file));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', imported: names.length });
    expect(await namesOf(names.map((_, i) => `FX26${String(first + i).padStart(6, '0')}`))).toEqual(names);
  });

  it('reads `history` as 学籍变动记录 and `score.history` as the 历史 score in a field-key file', async () => {
    const s = await server.prisma.student.findUniqueOrThrow({ where: { examNo: 'FX26000201' }, include: { history: { orderBy: { from: 'asc' } } } });
    expect(s.history.map((h) => h.juniorSchoolId)).toEqual(['FXJ02', s.juniorSchoolId]);
    expect((s.scores as Record<string, number>).history).toBe(Math.min(100, 40 + 201));
  });

  it.each([
    ['students-utf8-stray-byte.csv', 'IMPORT_ENCODING', '第 4 行的姓名含有无法识别的字符'],
    ['students-header-only.csv', 'IMPORT_UNREADABLE', '没有数据行'],
    ['students-formula-no-result.xlsx', 'IMPORT_INVALID', '第 3 行 B 列是公式但没有计算结果'],
    ['zip-bomb-declared.xlsx', 'IMPORT_UNREADABLE', '解压后超过'],
    ['zip-bomb-lying.xlsx', 'IMPORT_UNREADABLE', '解压后超过'],
  ])('refuses %s (%s) and writes nothing, not even an audit entry', async (file, code, message) => {
    const before = await state();
    const res = await upload('students', fixture(file));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(JSON.stringify(res.body.error)).toContain(message);
    expect(await state()).toEqual(before);
  });

  it('names the encoding problem in English too', async () => {
    const res = await upload('students', fixture('students-utf8-stray-byte.csv'), 'en');
    expect(res.body.error.message).toContain('row 4: Name contains an unreadable character');
    expect(res.body.error.message).toContain('CSV UTF-8');
  });

  it('refuses an ID number held under another exam number from an earlier file, naming that exam number, masked', async () => {
    const before = await state();
    const taken = idCard(101); // 郑然, FX26000101, from students-gbk-english.csv
    const res = await upload('students', studentsCsv([{ examNo: 'FXNEW0001', name: '郑然', idCardNo: taken }]));
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems).toEqual([{ row: 2, column: '身份证号', message: expect.stringContaining('准考证号 FX26000101') }]);
    expect(JSON.stringify(res.body)).not.toContain(taken);
    expect(JSON.stringify(res.body)).toContain(`${taken.slice(0, 6)}********${taken.slice(-4)}`);
    expect(await state()).toEqual(before);
  });

  it('treats a lower-case exam number as the same student: the re-import replaces it', async () => {
    const before = await state();
    const res = await upload('students', studentsCsv([{ examNo: 'fx26000101', name: '郑然', idCardNo: idCard(101) }]));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await state()).students).toBe(before.students);
    expect(await server.prisma.student.count({ where: { cycleId, examNo: { in: ['FX26000101', 'fx26000101'] } } })).toBe(1);
  });

  it('refuses two headers naming one column, naming both', async () => {
    const csv = studentsCsv([{ examNo: 'FXH0001', name: '张三', idCardNo: idCard(901) }]).toString().replace('\n', ',Name\n').replace(/\n(.*)\n$/, '\n$1,张三\n');
    const res = await upload('students', Buffer.from(csv));
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems[0].message).toMatch(/“姓名”（B 列）和“Name”（[A-Z]+ 列）都对应“姓名”列/);
  });

  it('lets one of two concurrent files with the same person through, and answers the other with a row problem, never a 500', async () => {
    for (let round = 0; round < 3; round++) {
      const id = idCard(950 + round);
      const results = await Promise.all(
        ['A', 'B'].map((tag) => upload('students', studentsCsv([{ examNo: `FXRACE${round}${tag}`, name: '钱多多', idCardNo: id }]))),
      );
      expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([200, 400]);
      const refused = results.find((r) => r.status === 400)!;
      expect(refused.body.error.details.problems[0]).toMatchObject({ row: 2, column: '身份证号' });
      expect(await server.prisma.student.count({ where: { cycleId, idCardNo: id } })).toBe(1);
    }
  });

  it('checks identity again inside the transaction: a student stored after the first check is a row problem, and nothing is written', async () => {
    const before = await state();
    const id = idCard(970);
    const cycle = await server.prisma.cycle.findUniqueOrThrow({ where: { id: cycleId } });
    const sheet = await readSheet(new Uint8Array(studentsCsv([{ examNo: 'FXLATE0001', name: '孙悦', idCardNo: id }])));
    const existing = await server.prisma.student.findUniqueOrThrow({ where: { examNo: 'FX26000102' } });
    const result = await executeImport(
      { uow: createUnitOfWork(server.prisma), clock },
      {
        kind: 'students',
        sheet,
        cycle,
        actor: null,
        // Between the first check and the transaction, another writer stores the same person.
        progress: async (percent) => {
          if (percent === 30) await server.prisma.student.update({ where: { id: existing.id }, data: { idCardNo: id } });
        },
      },
    );
    expect(result).toMatchObject({ ok: false, problems: [{ row: 2, column: { zh: '身份证号' }, zh: expect.stringContaining('准考证号 FX26000102') }] });
    expect(await server.prisma.student.count({ where: { examNo: 'FXLATE0001' } })).toBe(0);
    expect(await state()).toEqual(before);
    await server.prisma.student.update({ where: { id: existing.id }, data: { idCardNo: existing.idCardNo } });
  });

  it('recognises the database refusing a second student with the same ID number in a cycle', async () => {
    const repo = createImportRepository(server.prisma);
    const existing = await server.prisma.student.findUniqueOrThrow({ where: { examNo: 'FX26000102' } });
    const { id: _id, createdAt: _c, examNo: _e, birthDate: _b, enrolledSince: _s, scores, ...rest } = existing;
    const error = await repo
      .createStudents([{ ...rest, id: 'dup-id-test', examNo: 'FXDUP0001', birthDate: null, enrolledSince: '2023-09-01', scores: scores as Record<string, number> }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(new Error('connection reset'))).toBe(false);
  });
});
