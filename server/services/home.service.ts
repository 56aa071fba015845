import { authorize, highSchoolScope, juniorSchoolScope, studentScope } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { PublicUser } from './auth.service';

/**
 * The first page of each role: who the caller is and the record their role is
 * about (their student record, their school, their region). Every read goes
 * through the caller's scope, so a user whose ids point outside it gets null.
 */
export function createHomeService(deps: { uow: UnitOfWork }) {
  const homes = deps.uow.repos.homes;

  async function regionOf(code: string | null) {
    return code ? homes.findRegion(code) : null;
  }

  function scopesOf(actor: PublicUser) {
    return { students: studentScope(actor), highSchools: highSchoolScope(actor), juniorSchools: juniorSchoolScope(actor) };
  }

  return {
    async studentHome(actor: PublicUser) {
      authorize(actor, 'home.student');
      const student = actor.studentId ? await homes.findStudent(studentScope(actor), actor.studentId) : null;
      return { user: actor, student };
    },

    async juniorHome(actor: PublicUser) {
      authorize(actor, 'home.junior');
      const school = actor.juniorSchoolId ? await homes.findJuniorSchool(juniorSchoolScope(actor), actor.juniorSchoolId) : null;
      const juniorSchool = school
        ? { id: school.id, name: school.name, graduates: school.graduates, rural: school.rural, region: school.region, studentCount: school._count.students }
        : null;
      return { user: actor, juniorSchool };
    },

    async highHome(actor: PublicUser) {
      authorize(actor, 'home.high');
      const highSchool = actor.highSchoolId ? await homes.findHighSchool(highSchoolScope(actor), actor.highSchoolId) : null;
      return { user: actor, highSchool };
    },

    async bureauHome(actor: PublicUser) {
      authorize(actor, 'home.bureau');
      const [region, counts] = await Promise.all([regionOf(actor.regionCode), homes.countWithin(scopesOf(actor))]);
      return { user: actor, region, counts };
    },

    async auditorHome(actor: PublicUser) {
      authorize(actor, 'home.auditor');
      const [counts, auditEntries] = await Promise.all([homes.countWithin(scopesOf(actor)), homes.countAuditEntries()]);
      return { user: actor, counts: { ...counts, auditEntries } };
    },
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
