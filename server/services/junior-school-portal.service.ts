import { applicationState, countStates } from '../domain/admissions/junior-status';
import { yearOfStudents, yearRules } from '../domain/admissions/year-placements';
import { parseCyclePolicy } from '../domain/cycle-policy';
import { AppError } from '../errors';
import { authorize, juniorSchoolScope, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import { NO_PASSWORD_HASH } from './passwords';
import type { CycleService } from './cycle.service';

/**
 * The junior school's side (初中): its quota seats (指标生名额) at each high
 * school and their use after publication, its students' application status
 * with who still has to act, and their results. The school is resolved
 * through the caller's scope: another school's id is NOT_FOUND.
 */
export function createJuniorSchoolPortalService(deps: { uow: UnitOfWork<'admissions'>; cycles: CycleService }) {
  const { uow, cycles } = deps;
  const repo = uow.repos.admissions;

  /** The school within the caller's scope, checked first, and the year a read shows (`cycleId` or the current cycle), with the school's name that year. */
  async function schoolAndYear(actor: Actor, juniorSchoolId: string, cycleId?: string) {
    authorize(actor, 'juniorSchool.read');
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
      const activated = await repo.activatedStudents(students.map((s) => s.id), NO_PASSWORD_HASH);
      const rows = students.map((s) => {
        const application = s.applications[0];
        return {
          examNo: s.examNo,
          name: s.name,
          /** The student's account has a password (activated with a code, or made with one). */
          activated: activated.has(s.id),
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
      // Quota seats are a round-1 matter (补录 has none): their use is round 1's.
      const [quotas, year] = await Promise.all([repo.quotasOfJunior(cycle.id, school.id), repo.yearRounds(cycle.id, { studentIds: [] })]);
      const round = year.main;
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

    /**
     * Where each student stands in the year: round 1 (with their answer) and
     * 补录; the school they hold now and the round that gave it. Empty before
     * round 1 is published.
     */
    async results(actor: Actor, juniorSchoolId: string, cycleId?: string) {
      const { school, cycle } = await schoolAndYear(actor, juniorSchoolId, cycleId);
      const [students, year] = await Promise.all([repo.studentsOfJunior(cycle.id, school.id), repo.yearRounds(cycle.id, { juniorSchoolId: school.id })]);
      const round = year.supplementary ?? year.main;
      if (!round) return { school: { id: school.id, name: school.name }, round: null, rounds: [], counts: null, results: [] };
      const rules = yearRules(parseCyclePolicy(cycle.policy, cycle.year), cycle.phase);
      const years = yearOfStudents(year.rows, rules);
      const schoolIds = [...new Set(year.rows.map((r) => r.highSchoolId).filter((id) => id !== null))];
      const names = new Map((await repo.highSchoolNames(cycle.id, schoolIds)).map((h) => [h.id, h]));
      const named = (id: string | null | undefined) => (id ? (names.get(id) ?? { id, name: id }) : null);
      const results = students.map((s) => {
        const y = years.get(s.id);
        const holds = y?.holds ?? null;
        return {
          examNo: s.examNo,
          name: s.name,
          total: s.total,
          /** The school the student holds as the year stands. */
          highSchool: named(holds?.highSchoolId),
          seat: holds?.seat ?? null,
          batch: holds?.batch ?? null,
          round: holds?.round ?? null,
          participated: y !== undefined,
          /** Round 1: the school, and the answer to it (null when unplaced). */
          main: y?.main ? { highSchool: named(y.main.highSchoolId), seat: y.main.seat, confirmation: y.main.highSchoolId ? y.main.answer : null, keeps: y.main.keeps } : null,
          /** 补录, when the student took part. */
          supplementary: y?.supplementary ? { highSchool: named(y.supplementary.highSchoolId), seat: y.supplementary.seat } : null,
          confirmation: y?.main?.highSchoolId ? y.main.answer : null,
        };
      });
      return {
        school: { id: school.id, name: school.name },
        round: { id: round.id, kind: round.kind, publishedAt: round.publishedAt },
        /** What an unanswered round-1 seat counts as now, as on the high school's list (pending while the window is open). */
        silence: !rules.confirmationOver ? 'pending' : rules.silenceIsDecline ? 'declined' : 'confirmed',
        rounds: [year.main, year.supplementary].filter((r) => r !== null).map((r) => ({ id: r.id, kind: r.kind, publishedAt: r.publishedAt })),
        counts: {
          /** 已录取: students holding a seat (round-1 seats kept plus 补录 placements). */
          placed: results.filter((r) => r.highSchool).length,
          unplaced: results.filter((r) => r.participated && !r.highSchool).length,
          quota: results.filter((r) => r.seat === 'quota').length,
          supplementary: results.filter((r) => r.round === 'supplementary').length,
          declined: results.filter((r) => r.main?.confirmation === 'declined').length,
        },
        results,
      };
    },
  };
}

export type JuniorSchoolPortalService = ReturnType<typeof createJuniorSchoolPortalService>;
