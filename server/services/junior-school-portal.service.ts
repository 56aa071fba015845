import { applicationState, countStates } from '../domain/admissions/junior-status';
import { AppError } from '../errors';
import { juniorSchoolScope, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { CycleService } from './cycle.service';

/**
 * The junior school's side (初中): its quota seats (指标生名额) at each high
 * school and their use after publication, its students' application status
 * with who still has to act, and their results. The school is resolved
 * through the caller's scope: another school's id is NOT_FOUND.
 */
export function createJuniorSchoolPortalService(deps: { uow: UnitOfWork; cycles: CycleService }) {
  const { uow, cycles } = deps;
  const repo = uow.repos.admissions;

  /** The school within the caller's scope, checked first, and the year a read shows (`cycleId` or the current cycle), with the school's name that year. */
  async function schoolAndYear(actor: Actor, juniorSchoolId: string, cycleId?: string) {
    const scope = juniorSchoolScope(actor);
    if (!(await repo.findJuniorSchool(scope, juniorSchoolId))) throw new AppError('NOT_FOUND');
    const cycle = await cycles.forRead(cycleId);
    const school = await repo.findJuniorSchool(scope, juniorSchoolId, cycle.id);
    if (!school) throw new AppError('NOT_FOUND');
    return { school, cycle };
  }

  return {
    /** Application status of every student of the school, counts, and the deadline. */
    async status(actor: Actor, juniorSchoolId: string, cycleId?: string) {
      const { school, cycle } = await schoolAndYear(actor, juniorSchoolId, cycleId);
      const students = await repo.studentsOfJunior(cycle.id, school.id);
      const rows = students.map((s) => {
        const application = s.applications[0];
        return {
          examNo: s.examNo,
          name: s.name,
          state: applicationState(application?.status),
          version: application?.version ?? 0,
          updatedAt: application?.updatedAt ?? null,
        };
      });
      const deadline = cycle.windows.find((w) => w.phase === 'applications_open')?.closesAt ?? null;
      return {
        school: { id: school.id, name: school.name },
        cycle: { id: cycle.id, year: cycle.year, name: cycle.name, phase: cycle.phase, applicationDeadline: deadline },
        counts: countStates(rows.map((r) => r.state)),
        students: rows,
      };
    },

    /** Quota seats at each high school, and after publication how many the school's students took. */
    async quotas(actor: Actor, juniorSchoolId: string, cycleId?: string) {
      const { school, cycle } = await schoolAndYear(actor, juniorSchoolId, cycleId);
      const [quotas, round] = await Promise.all([repo.quotasOfJunior(cycle.id, school.id), repo.latestPublishedRound(cycle.id)]);
      const used = round ? await repo.quotaUsedByJunior(round.id, school.id) : null;
      const rows = quotas.map((q) => ({ highSchool: { id: q.highSchool.id, name: q.highSchool.name }, seats: q.seats, used: used ? (used.get(q.highSchool.id) ?? 0) : null }));
      return {
        school: { id: school.id, name: school.name },
        published: round != null,
        totalSeats: rows.reduce((sum, r) => sum + r.seats, 0),
        totalUsed: used ? rows.reduce((sum, r) => sum + (r.used ?? 0), 0) : null,
        quotas: rows,
      };
    },

    /** Where each student was placed in the latest published round (empty before publication). */
    async results(actor: Actor, juniorSchoolId: string, cycleId?: string) {
      const { school, cycle } = await schoolAndYear(actor, juniorSchoolId, cycleId);
      const round = await repo.latestPublishedRound(cycle.id);
      const students = await repo.studentsOfJunior(cycle.id, school.id);
      if (!round) return { school: { id: school.id, name: school.name }, round: null, counts: null, results: [] };
      const assignments = new Map((await repo.assignmentsOf(cycle.id, round.id, students.map((s) => s.id))).map((a) => [a.studentId, a]));
      const results = students.map((s) => {
        const a = assignments.get(s.id);
        return {
          examNo: s.examNo,
          name: s.name,
          total: s.total,
          highSchool: a?.highSchool ?? null,
          seat: a?.seat ?? null,
          batch: a?.batch ?? null,
          participated: a !== undefined,
          confirmation: a?.highSchool ? (a.student.confirmations[0]?.decision ?? 'pending') : null,
        };
      });
      return {
        school: { id: school.id, name: school.name },
        round: { id: round.id, kind: round.kind, publishedAt: round.publishedAt },
        counts: {
          placed: results.filter((r) => r.highSchool).length,
          unplaced: results.filter((r) => r.participated && !r.highSchool).length,
          quota: results.filter((r) => r.seat === 'quota').length,
        },
        results,
      };
    },
  };
}

export type JuniorSchoolPortalService = ReturnType<typeof createJuniorSchoolPortalService>;
