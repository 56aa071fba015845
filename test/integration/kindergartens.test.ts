import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitOfWork } from '../../server/repositories';
import { createFlagService } from '../../server/services/flag.service';
import { createTestClock } from '../support/clock';
import { createCycle, createKindergarten, createRegion, createUser, uniqueSuffix } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The kindergarten registry (issue 18) end to end: imports (English headers,
 * GBK), filings with return and approval (the public record changes only on
 * approval, every version kept and audited), the four rules through flag
 * detection, the three indicators against a hand count, and scoping.
 */

/** Character -> GBK bytes, from the platform's own decoder run backwards (as test/fixtures/imports/make-corpus.ts). */
const GBK = (() => {
  const map = new Map<string, number[]>();
  const decoder = new TextDecoder('gbk');
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== '\ufffd' && !map.has(ch)) map.set(ch, [lead, trail]);
    }
  return map;
})();
function gbk(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) bytes.push(ch.charCodeAt(0));
    else bytes.push(...GBK.get(ch)!);
  }
  return Buffer.from(bytes);
}

const clock = createTestClock(new Date('2026-12-05T08:00:00Z'));
let server: TestServer;
let api: ApiClient;
/** Digits only: latin letters in a name would be a foreign word (§15). */
const s = String(parseInt(uniqueSuffix(), 16));
const digits = () => String(parseInt(uniqueSuffix(), 16));
let regionA: { code: string; name: string };
let regionB: { code: string; name: string };
let cycleId: string;
const token = {} as Record<'city' | 'countyA' | 'countyB' | 'auditor', string>;

const upload = (kind: string, body: Buffer, bearer: string, lang = 'zh-CN') =>
  fetch(`${server.url}/api/imports/${kind}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/octet-stream', 'accept-language': lang },
    body: new Uint8Array(body),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

async function kindergartenToken(kindergartenId: string, regionCode: string): Promise<string> {
  const user = await createUser(server.prisma, { role: 'kindergarten', kindergartenId, regionCode });
  return api.login(user.username, user.password);
}

beforeAll(async () => {
  server = await startTestServer({ clock });
  api = apiClient(server.url, { checkResponses: true });
  regionA = await createRegion(server.prisma, { name: `甲${digits()}区` });
  regionB = await createRegion(server.prisma, { name: `乙${digits()}区` });
  regionsMade.push(regionA.code, regionB.code);
  // The current cycle (active, the latest year): the registry's flags are filed under the current cycle only.
  const latest = (await server.prisma.cycle.aggregate({ _max: { year: true } }))._max.year ?? 3000;
  cycleId = (await createCycle(server.prisma, { year: latest + 1, status: 'active', policy: { quotaEligibilityCutoff: '2025-09-01' } })).id;
  const users = {
    city: await createUser(server.prisma, { role: 'bureau' }),
    countyA: await createUser(server.prisma, { role: 'bureau', regionCode: regionA.code }),
    countyB: await createUser(server.prisma, { role: 'bureau', regionCode: regionB.code }),
    auditor: await createUser(server.prisma, { role: 'auditor' }),
  };
  for (const [who, user] of Object.entries(users)) token[who as keyof typeof token] = await api.login(user.username, user.password);
}, 60_000);

/** Regions this file made: their kindergartens are removed afterwards, so later files' flag detection finds none of these broken ones. */
const regionsMade: string[] = [];

afterAll(async () => {
  if (cycleId) await server.prisma.cycle.update({ where: { id: cycleId }, data: { status: 'archived' } });
  if (server) await server.prisma.kindergarten.deleteMany({ where: { regionCode: { in: regionsMade } } });
  await server?.stop();
});

describe('imports', () => {
  const header = 'Kindergarten code,Name,Region code,Address,Nature,Opening date,Grade,Licence number,Classes,Children,Head name,Head qualification,Teachers,Carers,Fees,Fee account';

  it('imports a CSV with English headers, creates accounts and version 1, and audits it', async () => {
    const csv = [
      header,
      `IA${s}1,Sunny Hill kindergarten ${s},${regionA.code},1 Road,public,2001-09-01,class1,L-1,1,25,Wang Fang,园长任职资格培训合格证,Li A:幼儿园教师资格证;Li B:幼儿园教师资格证,Zhou C:保育员证,全日制:月:500,`,
      `IA${s}2,Blue Sky kindergarten ${s},${regionA.code},2 Road,puhui_private,2010-03-01,class2,L-2,1,30,Chen Li,园长任职资格培训合格证,Li D:幼儿园教师资格证;Li E:幼儿园教师资格证,Zhou F:保育员证,全日制:学期:4000,6217000011112222`,
    ].join('\n');
    const res = await upload('kindergartens', Buffer.from(csv), token.city, 'en');
    expect(res, JSON.stringify(res.body)).toMatchObject({ status: 200, body: { status: 'done', kind: 'kindergartens', imported: 2, created: 2 } });
    const k2 = await server.prisma.kindergarten.findUniqueOrThrow({ where: { id: `IA${s}2` } });
    expect(k2).toMatchObject({ nature: 'puhui_private', classes: 1, feeMonthlyMin: 800, feeAccount: '6217000011112222', version: 1 });
    expect(await server.prisma.kindergartenVersion.count({ where: { kindergartenId: { in: [`IA${s}1`, `IA${s}2`] } } })).toBe(2);
    const account = await server.prisma.user.findUniqueOrThrow({ where: { username: `ia${s.toLowerCase()}2` } });
    expect(account).toMatchObject({ role: 'kindergarten', kindergartenId: `IA${s}2`, regionCode: regionA.code });
    const audit = await server.prisma.auditLog.findFirst({ where: { action: 'import.kindergartens' }, orderBy: { seq: 'desc' } });
    expect(audit?.after).toMatchObject({ kind: 'kindergartens', rows: 2 });
  });

  it('reads a GBK file with Chinese headers, names intact', async () => {
    const text = [
      '幼儿园代码,幼儿园名称,区县代码,地址,办园性质,等级,办学许可证号,班级数,在园幼儿数,园长姓名,园长资格,专任教师,保育员,收费账户',
      `IG${s},金色摇篮幼儿园${s},${regionA.code},建设路8号,非普惠性民办,三级园,教民0001,2,50,刘芳,园长任职资格培训合格证,甲:幼儿园教师资格证;乙:幼儿园教师资格证;丙:幼儿园教师资格证;丁:幼儿园教师资格证,戊:保育员证;己:保育员证,6217000099998888`,
    ].join('\r\n');
    const res = await upload('kindergartens', gbk(text), token.city);
    expect(res, JSON.stringify(res.body)).toMatchObject({ status: 200, body: { imported: 1 } });
    const k = await server.prisma.kindergarten.findUniqueOrThrow({ where: { id: `IG${s}` } });
    expect(k).toMatchObject({ name: `金色摇篮幼儿园${s}`, address: '建设路8号', nature: 'private', grade: 'class3', headName: '刘芳' });
    expect(k.staff).toHaveLength(6);
  });

  it('refuses a file with bad rows as a whole, naming row and column; a county bureau imports only its region', async () => {
    const before = await server.prisma.kindergarten.count();
    const csv = [header, `IB${s}1,Good ${s},${regionA.code},1 Road,public,,,L,1,20,X,,,,,`, `IB${s}2,Bad ${s},NOPE${s},1 Road,church,,,L,1,20,X,,,,,`].join('\n');
    const res = await upload('kindergartens', Buffer.from(csv), token.city, 'en');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('IMPORT_INVALID');
    expect(res.body.error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ row: 3, column: 'Nature' })]));
    expect(await server.prisma.kindergarten.count()).toBe(before);

    const own = await upload('kindergartens', Buffer.from([header, `IC${s}1,Other ${s},${regionA.code},1 Road,public,,,L,1,20,X,,,,,`].join('\n')), token.countyB, 'en');
    expect(own.status).toBe(400);
    expect(own.body.error.details.problems[0]).toMatchObject({ row: 2, column: 'Region code' });
    expect(await server.prisma.kindergarten.count()).toBe(before);
  });

  it('imports the children aged 3-5 per region', async () => {
    const res = await upload('preschool-population', Buffer.from(`区县代码,年份,3-5周岁儿童数\n${regionA.code},2026,200\n`), token.countyA);
    expect(res, JSON.stringify(res.body)).toMatchObject({ status: 200, body: { imported: 1 } });
    expect(await server.prisma.preschoolPopulation.findUnique({ where: { regionCode_year: { regionCode: regionA.code, year: 2026 } } })).toMatchObject({ children: 200 });
  });
});

describe('filing and review', () => {
  let k: { id: string };
  let kToken: string;
  const changes = { headName: '新园长', headQualification: '园长任职资格培训合格证', fees: [{ classType: '全日制', period: 'month', amountYuan: 650 }], feeAccount: '6217000012345678' };

  beforeAll(async () => {
    k = await createKindergarten(server.prisma, { regionCode: regionA.code, nature: 'puhui_private', feeAccount: '6217000000000001' });
    kToken = await kindergartenToken(k.id, regionA.code);
  });

  it('keeps the public record until approval; a return needs a note; one pending at a time', async () => {
    const before = await api.get(`/api/kindergartens/${k.id}`);
    expect(before.status).toBe(200);
    const filed = await api.post('/api/kindergarten/filings', { changes, note: '更换园长' }, { token: kToken });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({ status: 'pending', kindergartenId: k.id, changes: { headName: '新园长', feeAccount: '6217********5678' } });
    expect((await api.post('/api/kindergarten/filings', { changes: { classes: 3 } }, { token: kToken })).status).toBe(409);
    expect((await api.get(`/api/kindergartens/${k.id}`)).body).toEqual(before.body);

    // Another region's county bureau cannot see or decide it.
    expect((await api.post(`/api/kindergarten-filings/${filed.body.id}/approve`, {}, { token: token.countyB })).status).toBe(404);
    const listB = await api.get('/api/kindergarten-filings?status=pending', { token: token.countyB });
    expect(listB.body.items.map((f: { id: string }) => f.id)).not.toContain(filed.body.id);
    const listA = await api.get('/api/kindergarten-filings?status=pending', { token: token.countyA });
    expect(listA.body.items.map((f: { id: string }) => f.id)).toContain(filed.body.id);

    const noNote = await api.post(`/api/kindergarten-filings/${filed.body.id}/return`, {}, { token: token.countyA });
    expect(noNote.status).toBe(400);
    const returned = await api.post(`/api/kindergarten-filings/${filed.body.id}/return`, { note: '请补充园长资格证明' }, { token: token.countyA });
    expect(returned.body).toMatchObject({ status: 'returned', reviewNote: '请补充园长资格证明' });
    expect(typeof returned.body.reviewedBy).toBe('string');
    expect((await api.get(`/api/kindergartens/${k.id}`)).body).toEqual(before.body);
    expect((await api.post(`/api/kindergarten-filings/${filed.body.id}/approve`, {}, { token: token.countyA })).status).toBe(409);
  });

  it('changes the public record on approval, keeps every version and audits each step', async () => {
    clock.advance(60_000);
    const filed = await api.post('/api/kindergarten/filings', { changes }, { token: kToken });
    expect(filed.status).toBe(201);
    const approved = await api.post(`/api/kindergarten-filings/${filed.body.id}/approve`, { note: '同意' }, { token: token.countyA });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe('approved');

    const after = await api.get(`/api/kindergartens/${k.id}`);
    expect(after.body).toMatchObject({ headName: '新园长', fees: changes.fees, feeMonthlyMin: 650, updatedAt: clock.now().toISOString() });
    const versions = await server.prisma.kindergartenVersion.findMany({ where: { kindergartenId: k.id }, orderBy: { version: 'asc' } });
    expect(versions.map((v) => [v.version, v.source])).toEqual([[2, 'filing']]);
    expect((versions[0].record as { headName: string }).headName).toBe('新园长');
    const me = await api.get('/api/kindergarten/me', { token: kToken });
    expect(me.body.record).toMatchObject({ version: 2, headName: '新园长', feeAccount: '6217********5678' });
    expect(me.body.filings.map((f: { status: string }) => f.status)).toEqual(['approved', 'returned']);

    const actions = (await server.prisma.auditLog.findMany({ where: { entity: 'KindergartenFiling', after: { path: ['kindergartenId'], equals: k.id } }, orderBy: { seq: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['kindergarten.filing.submit', 'kindergarten.filing.return', 'kindergarten.filing.submit', 'kindergarten.filing.approve']);
    // The fee account never enters the log in full.
    const log = JSON.stringify(await server.prisma.auditLog.findMany({ where: { entity: 'KindergartenFiling' }, select: { after: true } }));
    expect(log).not.toContain('6217000012345678');
  });

  it('refuses bad filings with the field named', async () => {
    const res = await api.post('/api/kindergarten/filings?lang=en', { changes: { classes: -1 } }, { token: kToken });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('changes.classes');
    expect((await api.post('/api/kindergarten/filings', { changes: {} }, { token: kToken })).status).toBe(400);
  });
});

describe('the four rules through flag detection', () => {
  const ids = {} as Record<'clean' | 'name' | 'publicName' | 'staffing' | 'safety' | 'unqualified' | 'feeAccount' | 'publicNoAccount', string>;

  beforeAll(async () => {
    const make = async (key: keyof typeof ids, overrides: Parameters<typeof createKindergarten>[1] = {}) => {
      ids[key] = (await createKindergarten(server.prisma, { regionCode: regionB.code, ...overrides })).id;
    };
    await make('clean', { name: `${regionB.name}实验幼儿园`, nature: 'public' });
    await make('publicNoAccount', { name: `晨曦幼儿园${s}`, nature: 'public', feeAccount: null });
    await make('name', { name: `剑桥国际双语幼儿园${s}`, nature: 'private', feeAccount: '6217000000000002' });
    await make('publicName', { name: `${regionB.name}实验幼儿园阳光分园${s}`, nature: 'puhui_private', feeAccount: '6217000000000003' });
    await make('staffing', { name: `童趣幼儿园${s}`, classes: 3 });
    await make('safety', { name: `彩虹幼儿园${s}`, dangerousBuilding: true, technicalDefence: false, rectifyBy: new Date('2027-01-31T00:00:00Z') });
    await make('unqualified', {
      name: `启航幼儿园${s}`,
      headQualification: '无',
      staff: [
        { role: 'teacher', name: '赵甲', qualification: '小学教师资格证' },
        { role: 'teacher', name: '钱乙', qualification: '幼儿园教师资格证' },
        { role: 'teacher', name: '孙丙', qualification: '幼儿园教师资格证' },
        { role: 'teacher', name: '李丁', qualification: '幼儿园教师资格证' },
        { role: 'carer', name: '周戊', qualification: '保育员证' },
        { role: 'carer', name: '吴己', qualification: '保育员证' },
      ],
    });
    await make('feeAccount', { name: `新芽幼儿园${s}`, nature: 'private', feeAccount: null });
    await createFlagService({ uow: createUnitOfWork(server.prisma), clock }).detect(cycleId);
  });

  async function flagsOf(id: string) {
    const flags = await server.prisma.flag.findMany({ where: { cycleId, evidence: { path: ['kindergartenId'], equals: id } } });
    return Object.fromEntries(flags.map((f) => [f.rule, f]));
  }

  it('fires nothing on a clean kindergarten, nor a fee-account flag on a public one', async () => {
    expect(await flagsOf(ids.clean)).toEqual({});
    expect(await flagsOf(ids.publicNoAccount)).toEqual({});
  });

  it('kindergarten_name: forbidden words, foreign places, and a private one using a public name', async () => {
    const name = (await flagsOf(ids.name)).kindergarten_name;
    expect(name.evidence).toMatchObject({ kindergartenName: `剑桥国际双语幼儿园${s}`, regionName: regionB.name, words: expect.arrayContaining(['国际', '双语', '剑桥']) });
    const borrowed = (await flagsOf(ids.publicName)).kindergarten_name;
    expect(borrowed.severity).toBe('high');
    expect((borrowed.evidence as { items: string[] }).items[0]).toContain(`${regionB.name}实验幼儿园`);
    expect(Object.keys(await flagsOf(ids.publicName))).toEqual(['kindergarten_name']);
  });

  it('kindergarten_staffing: three classes with four teachers and two carers', async () => {
    const flags = await flagsOf(ids.staffing);
    expect(Object.keys(flags)).toEqual(['kindergarten_staffing']);
    expect(flags.kindergarten_staffing.evidence).toMatchObject({ classes: 3, teachers: 4, carers: 2, requiredTeachers: 6, requiredCarers: 3 });
    expect((flags.kindergarten_staffing.evidence as { items: string[] }).items).toEqual([expect.stringContaining('缺专任教师 2 名'), expect.stringContaining('缺保育员 1 名')]);
  });

  it('kindergarten_safety: a dangerous building and 技防, with the deadline set; unqualified head and teacher named', async () => {
    const unsafe = (await flagsOf(ids.safety)).kindergarten_safety;
    expect(unsafe.severity).toBe('critical');
    expect(unsafe.evidence).toMatchObject({ deadline: '2027-01-31', items: ['存在危房', '技防不达标'] });
    const unqualified = (await flagsOf(ids.unqualified)).kindergarten_safety;
    expect((unqualified.evidence as { items: string[] }).items.join(' ')).toContain('赵甲');
    expect(unqualified.evidence).toMatchObject({ headQualified: false, unqualifiedTeachers: ['赵甲'], deadline: '2027-03-05' });
  });

  it('kindergarten_fee_account: a private kindergarten with no account filed', async () => {
    expect(Object.keys(await flagsOf(ids.feeAccount))).toEqual(['kindergarten_fee_account']);
  });

  it('shows them in the flag list, a county bureau only its region', async () => {
    const b = await createUser(server.prisma, { role: 'bureau', regionCode: regionB.code });
    const tB = await api.login(b.username, b.password);
    const own = await api.get(`/api/flags?cycleId=${cycleId}&rule=kindergarten_fee_account&limit=200`, { token: tB });
    expect(own.status).toBe(200);
    expect(own.body.items.map((f: { evidence: { kindergartenId: string } }) => f.evidence.kindergartenId)).toContain(ids.feeAccount);
    const other = await api.get(`/api/flags?cycleId=${cycleId}&rule=kindergarten_fee_account&limit=200`, { token: token.countyA });
    expect(other.body.items.map((f: { evidence: { kindergartenId: string } }) => f.evidence.kindergartenId)).not.toContain(ids.feeAccount);
    // Re-running adds no duplicate.
    await createFlagService({ uow: createUnitOfWork(server.prisma), clock }).detect(cycleId);
    expect(await server.prisma.flag.count({ where: { cycleId, evidence: { path: ['kindergartenId'], equals: ids.feeAccount } } })).toBe(1);
  });
});

describe('the three indicators', () => {
  it('match a hand count for a region', async () => {
    const region = await createRegion(server.prisma);
    regionsMade.push(region.code);
    // public 100, 普惠民办 60, 非普惠民办 40: 普惠 (160/200) 0.8, public 0.5; 3-5 population 250 -> 0.8.
    await createKindergarten(server.prisma, { regionCode: region.code, nature: 'public', children: 100 });
    await createKindergarten(server.prisma, { regionCode: region.code, nature: 'puhui_private', children: 60, feeAccount: '6217000000000009' });
    await createKindergarten(server.prisma, { regionCode: region.code, nature: 'private', children: 40, feeAccount: '6217000000000010' });
    await server.prisma.preschoolPopulation.create({ data: { regionCode: region.code, year: 2025, children: 999 } });
    await server.prisma.preschoolPopulation.create({ data: { regionCode: region.code, year: 2026, children: 250 } });
    const county = await createUser(server.prisma, { role: 'bureau', regionCode: region.code });
    const res = await api.get('/api/dashboard', { token: await api.login(county.username, county.password) });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.preschool.regions).toEqual([{ code: region.code, name: region.name, puhuiShare: 0.8, publicShare: 0.5, grossEnrolmentRate: 0.8, children: 200, population: 250 }]);
    expect(res.body.preschool.city).toEqual({ puhuiShare: 0.8, publicShare: 0.5, grossEnrolmentRate: 0.8 });
    expect(res.body.preschool.goals).toEqual({ puhuiShare: 0.92, publicShare: 0.58, grossEnrolmentRate: 0.95 });

    const city = await api.get('/api/dashboard', { token: token.city });
    expect(city.body.preschool.regions.find((r: { code: string }) => r.code === region.code)).toMatchObject({ puhuiShare: 0.8, children: 200 });
    // A region with no kindergartens and no count: nulls, not zeros.
    const empty = await createRegion(server.prisma);
    const again = await api.get('/api/dashboard', { token: token.city });
    expect(again.body.preschool.regions.find((r: { code: string }) => r.code === empty.code)).toMatchObject({ puhuiShare: null, publicShare: null, grossEnrolmentRate: null, population: null });
  });
});

describe('scoping and the public record', () => {
  it('shows the public only published fields: no staff names but the head, no fee account', async () => {
    const k = await createKindergarten(server.prisma, { regionCode: regionA.code, nature: 'private', feeAccount: '6217555566667777', headName: '公开园长' });
    const res = await api.get(`/api/kindergartens/${k.id}`);
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(res.body).toMatchObject({ headName: '公开园长', teacherCount: 4, carerCount: 2, nature: 'private', regionName: regionA.name });
    for (const secret of ['教师1', '保育员1', '6217555566667777', 'feeAccount', 'qualification']) expect(text).not.toContain(secret);
    const list = await api.get(`/api/kindergartens?region=${regionA.code}&nature=private&limit=100`);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(k.id);
    expect(JSON.stringify(list.body)).not.toContain('6217555566667777');
    const search = await api.get(`/api/kindergartens?q=${encodeURIComponent(`金色摇篮幼儿园${s}`)}`);
    expect(search.body).toMatchObject({ total: 1, items: [{ id: `IG${s}`, feeMonthlyMin: null }] });
    expect((await api.get(`/api/kindergartens?feeMax=700&region=${regionA.code}`)).body.items.every((i: { feeMonthlyMin: number }) => i.feeMonthlyMin <= 700)).toBe(true);
    expect((await api.get('/api/kindergartens/NOPE-none')).status).toBe(404);
    expect((await api.get('/api/kindergartens?nature=church')).status).toBe(400);
  });

  it('keeps a kindergarten to its own record and filings', async () => {
    const mine = await createKindergarten(server.prisma, { regionCode: regionA.code });
    const theirs = await createKindergarten(server.prisma, { regionCode: regionA.code });
    const mineToken = await kindergartenToken(mine.id, regionA.code);
    const theirsToken = await kindergartenToken(theirs.id, regionA.code);
    const filed = await api.post('/api/kindergarten/filings', { changes: { classes: 3 } }, { token: theirsToken });
    expect(filed.status).toBe(201);
    const me = await api.get('/api/kindergarten/me', { token: mineToken });
    expect(me.body.record.id).toBe(mine.id);
    expect(JSON.stringify(me.body)).not.toContain(filed.body.id);
    expect((await api.get('/api/kindergarten-filings', { token: mineToken })).status).toBe(403);
    expect((await api.post(`/api/kindergarten-filings/${filed.body.id}/approve`, {}, { token: mineToken })).status).toBe(403);
    // An account whose kindergarten is gone: 404, never another's record.
    const orphan = await kindergartenToken(`GONE${s}`, regionA.code);
    expect((await api.get('/api/kindergarten/me', { token: orphan })).status).toBe(404);
    // The auditor reads filings but cannot decide them.
    expect((await api.get('/api/kindergarten-filings', { token: token.auditor })).status).toBe(200);
    expect((await api.post(`/api/kindergarten-filings/${filed.body.id}/approve`, {}, { token: token.auditor })).status).toBe(403);
  });
});
