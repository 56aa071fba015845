import type { JobQueues } from '../../jobs/queues';
import type { Clock } from '../clock';
import { detectFlags, flagPolicyFrom, type FlagRule, type FlagSeverity } from '../domain/flags';
import { detectKindergartenFlags } from '../domain/kindergartens';
import { registryFacts } from './kindergarten.service';
import { normalizeComplaintNumber } from '../domain/flags/complaint-number';
import { evidenceRefs, formatEvidence, type EvidenceNames } from '../domain/flags/evidence';
import { AppError } from '../errors';
import { authorize, oversightRegion, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { FlagFilter } from '../repositories/flag.repository';

export interface FlagListQuery {
  cycleId?: string;
  rule?: FlagRule;
  severity?: FlagSeverity;
  status?: 'open' | 'confirmed' | 'dismissed';
  regionCode?: string;
  highSchoolId?: string;
  /** 举报编号 as typed by the bureau. */
  complaint?: string;
  offset: number;
  limit: number;
}

export interface ReviewProps {
  status: 'confirmed' | 'dismissed';
  note: string;
  requestId?: string | null;
}

/**
 * Irregularity flags: detection (run by the `flags.detect` job), the review
 * list and detail for the bureau and inspectors, and the bureau's decision.
 * A county bureau sees only flags that involve its region.
 */
export function createFlagService(deps: { uow: UnitOfWork<'audit' | 'cycles' | 'flags' | 'kindergartens' | 'names'>; clock: Clock; queues?: Pick<JobQueues, 'enqueue'> }) {
  const { uow, clock } = deps;

  /** The caller's scope as a filter: a county bureau is held to its region. */
  function scopeFilter(actor: Actor, filter: FlagFilter): FlagFilter {
    const regionCodes = [...(filter.regionCodes ?? [])];
    const region = oversightRegion(actor);
    if (region) regionCodes.push(region);
    return { ...filter, regionCodes: [...new Set(regionCodes)] };
  }

  async function defaultCycleId(cycleId?: string): Promise<string | undefined> {
    if (cycleId) {
      if (!(await uow.repos.cycles.findById(cycleId))) throw new AppError('NOT_FOUND', { field: 'cycleId' });
      return cycleId;
    }
    return (await uow.repos.cycles.findCurrent())?.id;
  }

  /**
   * The flags with their evidence as labelled facts and their schools by
   * name: the ids they mention resolved with one query per kind, per cycle
   * (a page of flags is normally one cycle).
   */
  async function readable<F extends FlagRow>(flags: readonly F[]) {
    const namesByCycle = new Map<string, EvidenceNames>();
    for (const cycleId of new Set(flags.map((f) => f.cycleId))) {
      const refs = evidenceRefs(flags.filter((f) => f.cycleId === cycleId));
      const [highSchools, juniorSchools, regions, students, rounds] = await Promise.all([
        uow.repos.names.highSchools(cycleId, refs.highSchools),
        uow.repos.names.juniorSchools(cycleId, refs.juniorSchools),
        uow.repos.names.regions(cycleId, refs.regions),
        uow.repos.names.students(cycleId, refs.students),
        uow.repos.names.rounds(cycleId, refs.rounds),
      ]);
      namesByCycle.set(cycleId, { highSchools, juniorSchools, regions, students, rounds });
    }
    return flags.map((flag) => {
      const names = namesByCycle.get(flag.cycleId)!;
      return {
        ...publicFlag(flag),
        /** The schools it names, by name (as they stood in the flag's year). */
        schools: flag.highSchoolIds.map((id) => ({ id, name: names.highSchools.get(id) ?? id })),
        facts: formatEvidence(flag, names),
      };
    });
  }

  return {
    /**
     * Runs every rule over a cycle and upserts the flags, all in one
     * transaction. Idempotent: the same inputs leave the same flags; reviewed
     * flags keep their status and note.
     */
    async detect(cycleId: string): Promise<{ cycleId: string; detected: number; created: number; updated: number; byRule: Record<string, number> }> {
      const cycle = await uow.repos.cycles.findById(cycleId);
      if (!cycle) throw new AppError('NOT_FOUND');
      const inputs = await uow.repos.flags.loadInputs(cycleId);
      // The kindergarten registry's rules (issue 18) check the registry as it stands now, so they are filed
      // under the current cycle only (they share its list and review); a past year's detection leaves them out.
      const current = await uow.repos.cycles.findCurrent();
      const flags = [
        ...detectFlags({ ...inputs, cycleId, policy: flagPolicyFrom(cycle.policy, cycle.year) }),
        ...(current?.id === cycleId ? detectKindergartenFlags(cycleId, registryFacts(await uow.repos.kindergartens.flagFacts(), clock.now())) : []),
      ];
      let created = 0;
      await uow.transaction(async (repos) => {
        for (const flag of flags) if ((await repos.flags.upsert(cycleId, flag)).created) created++;
      });
      const byRule: Record<string, number> = {};
      for (const flag of flags) byRule[flag.rule] = (byRule[flag.rule] ?? 0) + 1;
      return { cycleId, detected: flags.length, created, updated: flags.length - created, byRule };
    },

    /** Queues detection over the current cycle (bureau), recorded in the audit log first. */
    async requestDetection(actor: Actor, props: { requestId?: string | null } = {}) {
      authorize(actor, 'flags.detect');
      if (!deps.queues) throw new AppError('SERVICE_UNAVAILABLE');
      const cycle = await uow.repos.cycles.findCurrent();
      if (!cycle) throw new AppError('NO_ACTIVE_CYCLE');
      await uow.transaction((repos) =>
        repos.audit.record({
          actor,
          action: 'flags.detect',
          entity: 'Cycle',
          entityId: cycle.id,
          after: { reason: 'manual' },
          requestId: props.requestId,
          at: clock.now(),
        }),
      );
      const { createdBy: _createdBy, ...job } = await deps.queues.enqueue(
        'flags.detect',
        { cycleId: cycle.id, reason: 'manual' },
        { createdBy: actor.id, requestId: props.requestId ?? null },
      );
      return job;
    },

    async list(actor: Actor, query: FlagListQuery) {
      authorize(actor, 'flags.read');
      const filter = scopeFilter(actor, {
        cycleId: await defaultCycleId(query.cycleId),
        rule: query.rule,
        severity: query.severity,
        status: query.status,
        highSchoolId: query.highSchoolId,
        // A number that cannot be one matches nothing (rather than everything).
        complaintNumber: query.complaint === undefined ? undefined : (normalizeComplaintNumber(query.complaint) ?? query.complaint),
        regionCodes: query.regionCode ? [query.regionCode] : [],
      });
      const [{ total, rows }, counts] = await Promise.all([
        uow.repos.flags.list(filter, { offset: query.offset, limit: query.limit }),
        uow.repos.flags.countByStatus({ ...filter, status: undefined }),
      ]);
      return {
        total,
        offset: query.offset,
        limit: query.limit,
        counts: { open: counts.open ?? 0, confirmed: counts.confirmed ?? 0, dismissed: counts.dismissed ?? 0 },
        items: await readable(rows),
      };
    },

    /** One flag with its evidence, the schools and students it names, and the complaints behind it. */
    async get(actor: Actor, id: string) {
      authorize(actor, 'flags.read');
      const flag = await uow.repos.flags.findOne(id, scopeFilter(actor, {}));
      if (!flag) throw new AppError('NOT_FOUND');
      const [names, [readableFlag]] = await Promise.all([uow.repos.flags.namesFor(flag.cycleId, flag.highSchoolIds, flag.studentIds), readable([flag])]);
      return {
        ...readableFlag,
        schools: names.schools,
        students: names.students,
        complaints: flag.complaints.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
      };
    },

    /** The bureau confirms or dismisses a flag with a note; recorded in the audit log with the state before. */
    async review(actor: Actor, id: string, props: ReviewProps) {
      authorize(actor, 'flags.review');
      const filter = scopeFilter(actor, {});
      const at = clock.now();
      const updated = await uow.transaction(async (repos) => {
        const before = await repos.flags.findOne(id, filter);
        if (!before) throw new AppError('NOT_FOUND');
        const after = await repos.flags.review(id, { status: props.status, note: props.note, reviewedBy: actor.id, reviewedAt: at });
        await repos.audit.record({
          actor,
          action: 'flag.review',
          entity: 'Flag',
          entityId: id,
          before: { status: before.status, note: before.note, reviewedBy: before.reviewedBy },
          after: { status: after.status, note: after.note, reviewedBy: after.reviewedBy, rule: after.rule },
          requestId: props.requestId,
          at,
        });
        return after;
      });
      return publicFlag(updated);
    },
  };
}

interface FlagRow {
  id: string;
  cycleId: string;
  rule: string;
  severity: string;
  status: string;
  highSchoolIds: string[];
  studentIds: string[];
  evidence: unknown;
  note: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  createdAt: Date;
}

function publicFlag(flag: FlagRow) {
  return {
    id: flag.id,
    cycleId: flag.cycleId,
    rule: flag.rule as FlagRule,
    severity: flag.severity as FlagSeverity,
    status: flag.status as 'open' | 'confirmed' | 'dismissed',
    highSchoolIds: flag.highSchoolIds,
    studentIds: flag.studentIds,
    evidence: flag.evidence as Record<string, unknown>,
    note: flag.note,
    reviewedBy: flag.reviewedBy,
    reviewedAt: flag.reviewedAt?.toISOString() ?? null,
    createdAt: flag.createdAt.toISOString(),
  };
}

export type FlagService = ReturnType<typeof createFlagService>;
