import type { ApplicationKind, Prisma } from '../db';
import type { StudentScope } from '../policies';
import type { Db } from './index';
import { studentWhere } from './scope-where';

/**
 * Reads and writes behind the student portal: the student's own record,
 * published plans and quota seats, applications (志愿) with every saved
 * version, round results and confirmations. Every query about a student ANDs
 * the caller's scope, so a student reaches only their own rows.
 */
export function createApplicationRepository(db: Db) {
  return {
    /** The student (never the ID number), if within scope. */
    findStudent(scope: StudentScope, studentId: string) {
      return db.student.findFirst({
        where: { AND: [{ id: studentId }, studentWhere(scope)] },
        select: {
          id: true,
          cycleId: true,
          examNo: true,
          name: true,
          juniorSchoolId: true,
          regionCode: true,
          scores: true,
          total: true,
          evaluation: true,
          quotaEligible: true,
          juniorSchool: { select: { id: true, name: true } },
          region: { select: { code: true, name: true, nameEn: true } },
        },
      });
    },

    /** Approved plans of a cycle with their schools: public information, no caller scope. */
    listPublishedPlans(cycleId: string) {
      return db.highSchoolPlan.findMany({
        where: { cycleId, status: 'approved' },
        orderBy: [{ batch: 'asc' }, { highSchoolId: 'asc' }],
        select: {
          highSchoolId: true,
          batch: true,
          capacity: true,
          minScore: true,
          minEvaluation: true,
          quotaMinScore: true,
          quotaMinEvaluation: true,
          previousCutoff: true,
          highSchool: {
            select: { id: true, name: true, ownership: true, scope: true, quality: true, regionCode: true, region: { select: { name: true, nameEn: true } } },
          },
        },
      });
    },

    /** The quota seats (指标生名额) of every high school at one junior school. */
    quotasForJunior(cycleId: string, juniorSchoolId: string) {
      return db.quotaAllocation.findMany({
        where: { cycleId, juniorSchoolId, seats: { gt: 0 } },
        select: { highSchoolId: true, seats: true },
      });
    },

    findApplication(scope: StudentScope, props: { studentId: string; cycleId: string; kind: ApplicationKind }) {
      return db.application.findFirst({
        where: { studentId: props.studentId, cycleId: props.cycleId, kind: props.kind, student: studentWhere(scope) },
        select: { id: true, version: true, status: true, choices: true, submittedAt: true, updatedAt: true },
      });
    },

    createApplication(data: { studentId: string; cycleId: string; kind: ApplicationKind; choices: Prisma.InputJsonValue; at: Date }) {
      return db.application.create({
        data: { studentId: data.studentId, cycleId: data.cycleId, kind: data.kind, version: 1, status: 'submitted', choices: data.choices, submittedAt: data.at },
        select: { id: true, version: true },
      });
    },

    /** Replaces the choices only if the stored version is still `baseVersion`; returns how many rows changed (0 or 1). */
    async updateIfVersion(props: { id: string; baseVersion: number; choices: Prisma.InputJsonValue; at: Date }): Promise<number> {
      const { count } = await db.application.updateMany({
        where: { id: props.id, version: props.baseVersion },
        data: { version: { increment: 1 }, choices: props.choices, status: 'submitted', submittedAt: props.at },
      });
      return count;
    },

    addVersion(data: { applicationId: string; version: number; choices: Prisma.InputJsonValue; savedBy: string; at: Date }) {
      return db.applicationVersion.create({ data: { applicationId: data.applicationId, version: data.version, choices: data.choices, savedBy: data.savedBy, savedAt: data.at } });
    },

    listVersions(scope: StudentScope, applicationId: string) {
      return db.applicationVersion.findMany({
        where: { applicationId, application: { student: studentWhere(scope) } },
        orderBy: { version: 'desc' },
        select: { version: true, choices: true, savedAt: true, savedBy: true },
      });
    },

    /** The student's row in the latest published round of the given kinds. */
    latestPublishedAssignment(scope: StudentScope, props: { studentId: string; cycleId: string; kinds: ('main' | 'supplementary')[] }) {
      return db.roundAssignment.findFirst({
        where: {
          studentId: props.studentId,
          student: studentWhere(scope),
          round: { cycleId: props.cycleId, status: 'published', kind: { in: props.kinds } },
        },
        orderBy: { round: { publishedAt: 'desc' } },
        select: {
          highSchoolId: true,
          seat: true,
          batch: true,
          explanation: true,
          round: { select: { id: true, kind: true, result: true, publishedAt: true } },
        },
      });
    },

    findConfirmation(scope: StudentScope, props: { roundId: string; studentId: string }) {
      return db.confirmation.findFirst({
        where: { roundId: props.roundId, studentId: props.studentId, student: studentWhere(scope) },
        select: { decision: true, at: true },
      });
    },

    /** Per high school: students placed there in a round, and how many of them declined. */

    latestPublishedRound(cycleId: string, kind: 'main' | 'supplementary') {
      return db.round.findFirst({ where: { cycleId, kind, status: 'published' }, orderBy: { publishedAt: 'desc' }, select: { id: true } });
    },
  };
}

export type ApplicationRepository = ReturnType<typeof createApplicationRepository>;
