import type { Clock } from '../clock';
import {
  countStaff,
  feeMonthlyMin,
  GRADE_NAMES,
  isQualified,
  maskAccount,
  preschoolIndicators,
  PRESCHOOL_GOALS,
  type Evaluation,
  type Fee,
  type FilingChanges,
  type Inspection,
  type KindergartenGrade,
  type KindergartenNature,
  type RegistryFacts,
  type StaffMember,
} from '../domain/kindergartens';
import { AppError } from '../errors';
import { authorize, oversightRegion, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { FilingFilter, FilingRow, KindergartenFilter } from '../repositories/kindergarten.repository';

type KindergartenRow = NonNullable<Awaited<ReturnType<UnitOfWork['repos']['kindergartens']['findById']>>>;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** 公示: the fields anyone may read, without sign-in. */
export function publicSummary(k: KindergartenRow) {
  return {
    id: k.id,
    name: k.name,
    regionCode: k.regionCode,
    regionName: k.region.name,
    nature: k.nature as KindergartenNature,
    grade: k.grade as KindergartenGrade,
    gradeName: GRADE_NAMES[k.grade as KindergartenGrade]?.zh ?? k.grade,
    address: k.address,
    classes: k.classes,
    children: k.children,
    feeMonthlyMin: k.feeMonthlyMin,
    updatedAt: k.updatedAt.toISOString(),
  };
}

/** The published record: the summary and the published fields; of the staff, only the head's name. */
export function publicRecord(k: KindergartenRow) {
  const staff = k.staff as unknown as StaffMember[];
  const { teachers, carers } = countStaff(staff);
  return {
    ...publicSummary(k),
    openedOn: day(k.openedOn),
    licenceNumber: k.licenceNumber,
    headName: k.headName,
    teacherCount: teachers,
    carerCount: carers,
    fees: k.fees as unknown as Fee[],
    evaluations: k.evaluations as unknown as Evaluation[],
    inspections: (k.inspections as unknown as Inspection[]).map((i) => ({ date: i.date, result: i.result, deadline: i.deadline ?? null })),
  };
}

/** The kindergarten's own full record (and the bureau's view): staff with names and qualifications, the fee account masked, safety facts. */
export function fullRecord(k: KindergartenRow) {
  const staff = k.staff as unknown as StaffMember[];
  return {
    ...publicRecord(k),
    version: k.version,
    headQualification: k.headQualification,
    headQualified: isQualified('head', k.headQualification),
    staff: [
      { role: 'head' as const, name: k.headName, qualification: k.headQualification, qualified: isQualified('head', k.headQualification) },
      ...staff.map((s) => ({ role: s.role, name: s.name, qualification: s.qualification, qualified: isQualified(s.role, s.qualification) })),
    ],
    feeAccount: maskAccount(k.feeAccount),
    safety: {
      dangerousBuilding: k.dangerousBuilding,
      civilDefence: k.civilDefence,
      physicalDefence: k.physicalDefence,
      technicalDefence: k.technicalDefence,
      rectifyBy: day(k.rectifyBy),
    },
  };
}

/** Changes as shown: the fee account masked. */
function shownChanges(changes: FilingChanges): FilingChanges {
  return changes.feeAccount === undefined ? changes : { ...changes, feeAccount: maskAccount(changes.feeAccount) ?? '' };
}

function filingView(f: FilingRow, names: Map<string, string>) {
  return {
    id: f.id,
    kindergartenId: f.kindergartenId,
    kindergartenName: f.kindergarten.name,
    regionCode: f.kindergarten.regionCode,
    status: f.status,
    changes: shownChanges(f.changes as FilingChanges),
    note: f.note,
    reviewNote: f.reviewNote,
    submittedAt: f.submittedAt.toISOString(),
    submittedBy: names.get(f.submittedBy) ?? null,
    reviewedAt: f.reviewedAt?.toISOString() ?? null,
    reviewedBy: f.reviewedBy ? (names.get(f.reviewedBy) ?? null) : null,
  };
}

export interface PublicListQuery extends KindergartenFilter {
  offset: number;
  limit: number;
}

export interface FilingListQuery {
  status?: 'pending' | 'approved' | 'returned';
  regionCode?: string;
  kindergartenId?: string;
  offset: number;
  limit: number;
}

/**
 * The kindergarten registry (学前教育管理服务平台, issue 18): the public
 * disclosure (公示), a kindergarten's own record and its filings (备案), and
 * the county bureau's review. The public record changes only when a filing is
 * approved; every version is kept and every decision audited.
 */
export function createKindergartenService(deps: { uow: UnitOfWork<'audit' | 'kindergartens'>; clock: Clock }) {
  const { uow, clock } = deps;

  /** The kindergarten of a kindergarten account; 404 when the account has none. */
  async function own(actor: Actor): Promise<KindergartenRow> {
    const k = actor.kindergartenId ? await uow.repos.kindergartens.findById(actor.kindergartenId) : null;
    if (!k) throw new AppError('NOT_FOUND');
    return k;
  }

  /** A bureau's scope over filings: a county bureau is held to its region. */
  function filingScope(actor: Actor, filter: FilingFilter): FilingFilter {
    const regionCodes = [...(filter.regionCodes ?? [])];
    const region = oversightRegion(actor);
    if (region) regionCodes.push(region);
    return { ...filter, regionCodes: [...new Set(regionCodes)] };
  }

  async function withNames(rows: FilingRow[]) {
    const names = await uow.repos.kindergartens.userNames(rows.flatMap((f) => [f.submittedBy, ...(f.reviewedBy ? [f.reviewedBy] : [])]));
    return rows.map((f) => filingView(f, names));
  }

  async function decide(actor: Actor, id: string, props: { status: 'approved' | 'returned'; note: string | null; requestId?: string | null }) {
    authorize(actor, 'kindergarten.filing.review');
    const scope = filingScope(actor, {});
    const at = clock.now();
    const decided = await uow.transaction(async (repos) => {
      const filing = await repos.kindergartens.findFiling(id, scope);
      if (!filing) throw new AppError('NOT_FOUND');
      if (filing.status !== 'pending') throw new AppError('KINDERGARTEN_FILING_DECIDED');
      const after = await repos.kindergartens.decideFiling(id, { status: props.status, reviewNote: props.note, reviewedBy: actor.id, reviewedAt: at });
      if (!after) throw new AppError('KINDERGARTEN_FILING_DECIDED');
      const changes = filing.changes as FilingChanges;
      let version: number | null = null;
      if (props.status === 'approved') {
        const write: Record<string, unknown> = { ...changes };
        if (changes.fees !== undefined) write.feeMonthlyMin = feeMonthlyMin(changes.fees);
        version = (await repos.kindergartens.publishChanges(filing.kindergartenId, write, { filingId: id, createdBy: actor.id, at })).version;
      }
      await repos.audit.record({
        actor,
        action: props.status === 'approved' ? 'kindergarten.filing.approve' : 'kindergarten.filing.return',
        entity: 'KindergartenFiling',
        entityId: id,
        before: { status: filing.status },
        after: { status: after.status, kindergartenId: filing.kindergartenId, reviewNote: props.note, version, changes: shownChanges(changes) },
        requestId: props.requestId,
        at,
      });
      return after;
    });
    return (await withNames([decided]))[0];
  }

  return {
    async listPublic(query: PublicListQuery) {
      const { offset, limit, ...filter } = query;
      const { total, rows } = await uow.repos.kindergartens.listPublic(filter, { offset, limit });
      return { total, offset, limit, items: rows.map(publicSummary) };
    },

    async getPublic(id: string) {
      const k = await uow.repos.kindergartens.findById(id);
      if (!k) throw new AppError('NOT_FOUND');
      return publicRecord(k);
    },

    regions() {
      return uow.repos.kindergartens.regions();
    },

    async home(actor: Actor & { username?: string; displayName?: string }) {
      authorize(actor, 'kindergarten.own.read');
      const k = await own(actor);
      return { user: actor, kindergarten: publicSummary(k) };
    },

    async me(actor: Actor) {
      authorize(actor, 'kindergarten.own.read');
      const k = await own(actor);
      const { rows } = await uow.repos.kindergartens.listFilings({ kindergartenId: k.id }, { offset: 0, limit: 100 });
      return { record: fullRecord(k), filings: await withNames(rows) };
    },

    /** 备案: a kindergarten files a change; one pending at a time. */
    async submitFiling(actor: Actor, props: { changes: FilingChanges; note?: string | null; requestId?: string | null }) {
      authorize(actor, 'kindergarten.filing.submit');
      const k = await own(actor);
      const at = clock.now();
      const filing = await uow.transaction(async (repos) => {
        // One pending filing per kindergarten: the row lock keeps two concurrent submissions apart.
        await repos.kindergartens.lockForFiling(k.id);
        if (await repos.kindergartens.pendingFiling(k.id)) throw new AppError('KINDERGARTEN_FILING_PENDING');
        const created = await repos.kindergartens.createFiling({
          kindergartenId: k.id,
          changes: props.changes as object,
          note: props.note ?? null,
          submittedBy: actor.id,
          submittedAt: at,
        });
        await repos.audit.record({
          actor,
          action: 'kindergarten.filing.submit',
          entity: 'KindergartenFiling',
          entityId: created.id,
          after: { kindergartenId: k.id, changes: shownChanges(props.changes), note: props.note ?? null },
          requestId: props.requestId,
          at,
        });
        return created;
      });
      return (await withNames([filing]))[0];
    },

    async listFilings(actor: Actor, query: FilingListQuery) {
      authorize(actor, 'kindergarten.filing.list');
      const filter = filingScope(actor, { status: query.status, kindergartenId: query.kindergartenId, regionCodes: query.regionCode ? [query.regionCode] : [] });
      const { total, rows } = await uow.repos.kindergartens.listFilings(filter, { offset: query.offset, limit: query.limit });
      return { total, offset: query.offset, limit: query.limit, items: await withNames(rows) };
    },

    approve(actor: Actor, id: string, props: { note?: string | null; requestId?: string | null }) {
      return decide(actor, id, { status: 'approved', note: props.note ?? null, requestId: props.requestId });
    },

    returnFiling(actor: Actor, id: string, props: { note: string; requestId?: string | null }) {
      return decide(actor, id, { status: 'returned', note: props.note, requestId: props.requestId });
    },

  };
}

export type KindergartenService = ReturnType<typeof createKindergartenService>;

/** The dashboard's `preschool` block from the registry's indicator inputs (for a county bureau: its region only, so "city" is its region). */
export function preschoolBlock(inputs: Parameters<typeof preschoolIndicators>[0]) {
  const { city, regions } = preschoolIndicators(inputs);
  return {
    city: { puhuiShare: city.puhuiShare, publicShare: city.publicShare, grossEnrolmentRate: city.grossEnrolmentRate },
    regions,
    goals: { ...PRESCHOOL_GOALS },
  };
}

/** The four rules' input from the repository's rows (flag detection). */
export function registryFacts(rows: Awaited<ReturnType<UnitOfWork['repos']['kindergartens']['flagFacts']>>, now: Date): RegistryFacts {
  const publicSchools = [
    ...rows.kindergartens.filter((k) => k.nature === 'public').map((k) => ({ name: k.name, regionCode: k.regionCode })),
    ...rows.publicHighSchools,
  ];
  return {
    asOf: now.toISOString().slice(0, 10),
    publicSchools,
    placeNames: ['株洲市', ...rows.regionNames],
    kindergartens: rows.kindergartens.map((k) => ({
      id: k.id,
      name: k.name,
      regionCode: k.regionCode,
      regionName: k.region.name,
      nature: k.nature as KindergartenNature,
      classes: k.classes,
      children: k.children,
      headName: k.headName,
      headQualification: k.headQualification,
      staff: k.staff as unknown as StaffMember[],
      feeAccount: k.feeAccount,
      dangerousBuilding: k.dangerousBuilding,
      civilDefence: k.civilDefence,
      physicalDefence: k.physicalDefence,
      technicalDefence: k.technicalDefence,
      rectifyBy: day(k.rectifyBy),
    })),
  };
}
