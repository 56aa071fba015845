import type { Prisma } from '../db';
import type { KindergartenNature } from '../domain/kindergartens';
import type { Db } from './index';

/** What the public list may be filtered by (公示, no sign-in). */
export interface KindergartenFilter {
  regionCode?: string;
  nature?: KindergartenNature;
  grade?: string;
  /** Yuan per month: kindergartens whose lowest monthly fee is at most this. */
  feeMax?: number;
  /** Part of the name or address. */
  q?: string;
}

export interface FilingFilter {
  status?: 'pending' | 'approved' | 'returned';
  /** A region; a county bureau's scope is ANDed in by the service. */
  regionCodes?: string[];
  kindergartenId?: string;
}

/** The columns of a kindergarten row written by imports, the demo and approved filings. */
export type KindergartenWrite = Omit<Prisma.KindergartenUncheckedCreateInput, 'versions' | 'filings'>;

function kindergartenWhere(filter: KindergartenFilter): Prisma.KindergartenWhereInput {
  return {
    AND: [
      filter.regionCode ? { regionCode: filter.regionCode } : {},
      filter.nature ? { nature: filter.nature } : {},
      filter.grade ? { grade: filter.grade } : {},
      filter.feeMax !== undefined ? { feeMonthlyMin: { lte: filter.feeMax } } : {},
      filter.q ? { OR: [{ name: { contains: filter.q } }, { address: { contains: filter.q } }] } : {},
    ],
  };
}

function filingWhere(filter: FilingFilter): Prisma.KindergartenFilingWhereInput {
  return {
    AND: [
      filter.status ? { status: filter.status } : {},
      filter.kindergartenId ? { kindergartenId: filter.kindergartenId } : {},
      ...(filter.regionCodes ?? []).map((code) => ({ kindergarten: { regionCode: code } })),
    ],
  };
}

const filingInclude = { kindergarten: { select: { name: true, regionCode: true } } } satisfies Prisma.KindergartenFilingInclude;
export type FilingRow = Prisma.KindergartenFilingGetPayload<{ include: typeof filingInclude }>;

/** The kindergarten registry (issue 18): records, published versions, filings, and the 3-5 population. */
export function createKindergartenRepository(db: Db) {
  return {
    async listPublic(filter: KindergartenFilter, page: { offset: number; limit: number }) {
      const where = kindergartenWhere(filter);
      const [total, rows] = await Promise.all([
        db.kindergarten.count({ where }),
        db.kindergarten.findMany({ where, include: { region: { select: { name: true } } }, orderBy: [{ regionCode: 'asc' }, { id: 'asc' }], skip: page.offset, take: page.limit }),
      ]);
      return { total, rows };
    },

    findById(id: string) {
      return db.kindergarten.findUnique({ where: { id }, include: { region: { select: { name: true } } } });
    },

    findManyByIds(ids: string[]) {
      return db.kindergarten.findMany({ where: { id: { in: ids } }, select: { id: true, regionCode: true } });
    },

    regions() {
      return db.region.findMany({ select: { code: true, name: true, nameEn: true }, orderBy: { code: 'asc' } });
    },

    /** Inserts or replaces kindergartens (the whole record) and writes each one's next version. */
    async upsertWithVersions(rows: KindergartenWrite[], meta: { source: string; createdBy: string | null; at: Date }): Promise<{ created: number; updated: number }> {
      const existing = new Map((await db.kindergarten.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: { id: true, version: true } })).map((r) => [r.id, r.version]));
      let created = 0;
      for (const row of rows) {
        const before = existing.get(row.id);
        const version = before === undefined ? 1 : before + 1;
        const data = { ...row, version, updatedAt: meta.at } as Prisma.KindergartenUncheckedCreateInput;
        if (before === undefined) {
          await db.kindergarten.create({ data: { ...data, createdAt: meta.at } });
          created++;
        } else {
          const { id: _id, ...update } = data;
          await db.kindergarten.update({ where: { id: row.id }, data: update });
        }
        await db.kindergartenVersion.create({
          data: { kindergartenId: row.id, version, record: versionRecord({ ...row, version }), source: meta.source, createdBy: meta.createdBy, createdAt: meta.at },
        });
      }
      return { created, updated: rows.length - created };
    },

    /** An approved filing: the record takes the changes and a new version is kept. */
    async publishChanges(id: string, changes: Partial<KindergartenWrite>, meta: { filingId: string; createdBy: string; at: Date }) {
      const row = await db.kindergarten.update({ where: { id }, data: { ...changes, version: { increment: 1 }, updatedAt: meta.at } as Prisma.KindergartenUncheckedUpdateInput });
      await db.kindergartenVersion.create({
        data: { kindergartenId: id, version: row.version, record: versionRecord(row), source: 'filing', filingId: meta.filingId, createdBy: meta.createdBy, createdAt: meta.at },
      });
      return row;
    },

    versions(kindergartenId: string) {
      return db.kindergartenVersion.findMany({ where: { kindergartenId }, orderBy: { version: 'asc' } });
    },

    createFiling(data: { kindergartenId: string; changes: Prisma.InputJsonValue; note: string | null; submittedBy: string; submittedAt: Date }) {
      return db.kindergartenFiling.create({ data, include: filingInclude });
    },

    /** Locks the kindergarten's row until the transaction ends (one filing at a time). */
    async lockForFiling(kindergartenId: string): Promise<void> {
      await db.$queryRaw`SELECT id FROM "Kindergarten" WHERE id = ${kindergartenId} FOR UPDATE`;
    },

    pendingFiling(kindergartenId: string) {
      return db.kindergartenFiling.findFirst({ where: { kindergartenId, status: 'pending' }, select: { id: true } });
    },

    async listFilings(filter: FilingFilter, page: { offset: number; limit: number }) {
      const where = filingWhere(filter);
      const [total, rows] = await Promise.all([
        db.kindergartenFiling.count({ where }),
        db.kindergartenFiling.findMany({ where, include: filingInclude, orderBy: [{ submittedAt: 'desc' }, { id: 'asc' }], skip: page.offset, take: page.limit }),
      ]);
      return { total, rows };
    },

    findFiling(id: string, filter: FilingFilter = {}) {
      return db.kindergartenFiling.findFirst({ where: { AND: [{ id }, filingWhere(filter)] }, include: filingInclude });
    },

    /** Decides a pending filing; null when it was already decided (a concurrent review). */
    async decideFiling(id: string, data: { status: 'approved' | 'returned'; reviewNote: string | null; reviewedBy: string; reviewedAt: Date }): Promise<FilingRow | null> {
      const { count } = await db.kindergartenFiling.updateMany({ where: { id, status: 'pending' }, data });
      if (count === 0) return null;
      return db.kindergartenFiling.findUniqueOrThrow({ where: { id }, include: filingInclude });
    },

    /** Display names of users, for "submitted by" and "reviewed by". */
    async userNames(ids: string[]): Promise<Map<string, string>> {
      const rows = await db.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, displayName: true } });
      return new Map(rows.map((r) => [r.id, r.displayName]));
    },

    /** Everything the four rules read: every kindergarten, the public schools' names and the place names. */
    async flagFacts() {
      const [kindergartens, highSchools, regions] = await Promise.all([
        db.kindergarten.findMany({ include: { region: { select: { name: true } } }, orderBy: { id: 'asc' } }),
        db.highSchool.findMany({ where: { ownership: 'public' }, select: { name: true, regionCode: true } }),
        db.region.findMany({ select: { name: true } }),
      ]);
      return { kindergartens, publicHighSchools: highSchools, regionNames: regions.map((r) => r.name) };
    },

    /** The indicator inputs, for one region or the whole city. */
    async indicatorInputs(regionCode: string | null) {
      const where = regionCode ? { regionCode } : {};
      const [regions, groups, population] = await Promise.all([
        db.region.findMany({ where: regionCode ? { code: regionCode } : {}, select: { code: true, name: true }, orderBy: { code: 'asc' } }),
        db.kindergarten.groupBy({ by: ['regionCode', 'nature'], where, _sum: { children: true } }),
        db.preschoolPopulation.findMany({ where, orderBy: [{ regionCode: 'asc' }, { year: 'desc' }] }),
      ]);
      const latest = new Map<string, number>();
      for (const p of population) if (!latest.has(p.regionCode)) latest.set(p.regionCode, p.children);
      return {
        regions,
        kindergartens: groups.map((g) => ({ regionCode: g.regionCode, nature: g.nature, children: g._sum.children ?? 0 })),
        population: [...latest].map(([code, children]) => ({ regionCode: code, children })),
      };
    },

    async upsertPopulation(rows: { regionCode: string; year: number; children: number }[], at: Date) {
      for (const r of rows) {
        await db.preschoolPopulation.upsert({
          where: { regionCode_year: { regionCode: r.regionCode, year: r.year } },
          create: { ...r, updatedAt: at },
          update: { children: r.children, updatedAt: at },
        });
      }
    },
  };
}

/** A version's snapshot: the record as published, without bookkeeping columns. */
function versionRecord(row: Record<string, unknown>): Prisma.InputJsonValue {
  const { createdAt: _c, updatedAt: _u, region: _r, ...record } = row;
  return JSON.parse(JSON.stringify(record)) as Prisma.InputJsonValue;
}

export type KindergartenRepository = ReturnType<typeof createKindergartenRepository>;
