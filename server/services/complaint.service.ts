import { randomInt } from 'node:crypto';
import type { Clock } from '../clock';
import { isUniqueViolation } from '../db-errors';
import { complaintNumber } from '../domain/flags/complaint-number';
import { earlyOffers, flagPolicyFrom } from '../domain/flags';
import { maskIdNumbersInText } from '../domain/flags/redact';
import { AppError } from '../errors';
import type { UnitOfWork } from '../repositories';

/** Draws of a complaint number before giving up (a clash is one in hundreds of millions). */
const NUMBER_ATTEMPTS = 5;

export interface ComplaintProps {
  highSchoolId?: string | null;
  schoolName: string;
  studentName?: string | null;
  contact: string;
  description: string;
  requestId?: string | null;
}

/**
 * The public complaint form (no login): a family reports that a school
 * promised a place before the schedule. The report is stored with any ID
 * number masked and becomes (or joins) the school's early-offer flag, in one
 * transaction.
 */
export function createComplaintService(deps: { uow: UnitOfWork<'audit' | 'complaints' | 'cycles' | 'flags'>; clock: Clock }) {
  const { uow, clock } = deps;

  return {
    /** Schools a family may pick from: names only, public information. */
    async listSchools() {
      // The current year's schools under their current names.
      return uow.repos.complaints.listHighSchools((await uow.repos.cycles.findCurrent())?.id);
    },

    async submit(props: ComplaintProps) {
      const createdAt = clock.now();
      const cycle = await uow.repos.cycles.findCurrent();
      const school = props.highSchoolId ? await uow.repos.complaints.findHighSchool(props.highSchoolId, cycle?.id) : null;
      if (props.highSchoolId && !school) throw new AppError('UNKNOWN_HIGH_SCHOOL', { field: 'highSchoolId' });

      // A new short number on the rare clash with an existing one (the unique index says so).
      for (let attempt = 1; ; attempt++) {
        try {
          return await store(complaintNumber(randomInt));
        } catch (error) {
          if (attempt >= NUMBER_ATTEMPTS || !isUniqueViolation(error)) throw error;
        }
      }

      function store(number: string) {
        return uow.transaction(async (repos) => {
          const complaint = await repos.complaints.create({
            number,
            cycleId: cycle?.id ?? null,
            highSchoolId: school?.id ?? null,
            schoolName: maskIdNumbersInText(props.schoolName.trim() || school?.name || ''),
            studentName: props.studentName?.trim() ? maskIdNumbersInText(props.studentName.trim()) : null,
            contact: maskIdNumbersInText(props.contact.trim()),
            description: maskIdNumbersInText(props.description.trim()),
            createdAt,
          });
          let flagId: string | null = null;
          if (cycle) {
            // The same rule the detection job runs, over this school's reports: one flag per school.
            const complaints = await repos.complaints.listForFlag(cycle.id, school ? { highSchoolId: school.id } : { complaintId: complaint.id });
            const [flag] = earlyOffers({
              cycleId: cycle.id,
              policy: flagPolicyFrom(cycle.policy, cycle.year),
              complaints,
              highSchools: school ? [school] : [],
              students: [],
              quotaSeatsByJuniorSchool: {},
              placements: [],
              confirmations: [],
              registrations: [],
              history: [],
            });
            if (flag) flagId = (await repos.flags.upsert(cycle.id, flag)).id;
          }
          await repos.audit.record({
            actor: null,
            action: 'complaint.submit',
            entity: 'Complaint',
            entityId: complaint.id,
            // Contact details and the text stay in the complaint, not in the log.
            after: { number: complaint.number, highSchoolId: complaint.highSchoolId, schoolName: complaint.schoolName, flagId },
            requestId: props.requestId,
            at: createdAt,
          });
          return { id: complaint.id, number: complaint.number!, flagId, createdAt: complaint.createdAt.toISOString() };
        });
      }
    },
  };
}

export type ComplaintService = ReturnType<typeof createComplaintService>;
