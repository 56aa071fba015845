import { isActionAllowed } from '../domain/schedule/actions';
import type { Logger } from 'pino';
import type { JobQueues } from '../../jobs/queues';
import type { JobName } from '../../jobs/registry';
import type { Clock } from '../clock';
import { UnreadableFileError } from '../infra/read-file';
import type { RawSheet } from '../domain/imports/rows';
import { sharedSheetParser } from '../infra/sheet-parse-pool';
import {
  decideRegistration,
  parseExamNumberRows,
  placementOf,
  REFUSAL_MESSAGES,
  type Placement,
  type RefusalReason,
} from '../domain/registrations/registrations';
import { yearOfStudents, yearRules } from '../domain/admissions/year-placements';
import { parseCyclePolicy } from '../domain/cycle-policy';
import { maskIdNumbersInText } from '../domain/flags/redact';
import { AppError, type Lang } from '../errors';
import { authorize, highSchoolScope, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { CycleService } from './cycle.service';

export type RegistrationOutcome =
  | { examNo: string; row?: number; status: 'registered' | 'already'; name: string }
  | { examNo: string; row?: number; status: 'refused'; reason: RefusalReason; message: string };

export interface RegistrationReport {
  registered: number;
  already: number;
  refused: number;
  results: RegistrationOutcome[];
}

/** Asks for the poaching/irregularity detection after registrations; a no-op until that job exists. */
export type RequestFlagDetection = (props: { cycleId: string; actorId: string; requestId?: string }) => Promise<void>;

/** The job the oversight area registers for poaching/irregularity detection (PLATFORM.md). */
export const FLAG_DETECTION_JOB = 'flags.detect' satisfies JobName;

/**
 * Enqueues the flag detection (jobs/registry.ts) after registrations. A failure to enqueue is
 * logged, not returned: the registrations are already committed.
 */
export function flagDetectionRequester(queues: Pick<JobQueues, 'enqueue'>, logger?: Logger): RequestFlagDetection {
  return async ({ cycleId, actorId, requestId }) => {
    try {
      await queues.enqueue(FLAG_DETECTION_JOB, { cycleId, reason: 'registration' }, { createdBy: actorId, requestId });
    } catch (error) {
      logger?.warn({ err: error, cycleId, requestId }, 'could not enqueue flag detection after registration');
    }
  };
}

/**
 * 报到/学籍注册: a high school registers who actually enrolled, by hand or
 * from a file of exam numbers, in the registration phase only. Students the
 * platform did not admit to the school are refused, and the refusal is kept
 * (EnrollmentRegistration.accepted = false with the reason): the flag rules
 * read those attempts.
 */
export function createRegistrationService(deps: { uow: UnitOfWork<'admissions' | 'audit' | 'registrations'>; cycles: CycleService; clock: Clock; requestFlagDetection?: RequestFlagDetection }) {
  const { uow, cycles, clock } = deps;

  async function schoolFor(actor: Actor, highSchoolId: string) {
    const school = await uow.repos.admissions.findHighSchool(highSchoolScope(actor), highSchoolId);
    if (!school) throw new AppError('NOT_FOUND');
    return school;
  }

  /** Where these students stand in the year (round 1 with answers, plus 补录). */
  async function placementsOf(cycle: { id: string; year: number; phase: string; policy: unknown }, studentIds: string[]): Promise<Map<string, Placement>> {
    const year = await uow.repos.registrations.yearRounds(cycle.id, studentIds);
    const years = yearOfStudents(year.rows, yearRules(parseCyclePolicy(cycle.policy, cycle.year), cycle.phase));
    const placements = new Map<string, Placement>();
    for (const [studentId, y] of years) {
      const placement = placementOf(y);
      if (placement) placements.set(studentId, placement);
    }
    return placements;
  }

  async function register(
    actor: Actor,
    highSchoolId: string,
    entries: { examNo: string; row?: number }[],
    props: { source: 'manual' | 'import'; lang: Lang; requestId?: string },
  ): Promise<RegistrationReport> {
    const school = await schoolFor(actor, highSchoolId);
    const cycle = await cycles.requireAction('registrations.register');
    const examNos = entries.map((e) => e.examNo);
    const students = new Map((await uow.repos.registrations.studentsByExamNo(cycle.id, examNos)).map((s) => [s.examNo, s]));
    const studentIds = [...students.values()].map((s) => s.id);
    const placements = await placementsOf(cycle, studentIds);
    const now = clock.now();

    const report = await uow.transaction(async (repos) => {
      // Read inside the transaction, so two imports of the same list do not both register a student.
      const already = await repos.registrations.registeredIds(cycle.id, school.id, studentIds);
      const results: RegistrationOutcome[] = [];
      const rows: Parameters<typeof repos.registrations.createMany>[0] = [];
      for (const input of entries) {
        const student = students.get(input.examNo) ?? null;
        // No student has it: perhaps an ID number pasted by mistake. It is kept, shown and audited masked.
        const entry = student ? input : { ...input, examNo: maskIdNumbersInText(input.examNo) };
        const decision = decideRegistration(school.id, student, student ? (placements.get(student.id) ?? null) : null);
        if (decision.accepted) {
          if (already.has(decision.studentId)) {
            results.push({ examNo: entry.examNo, row: entry.row, status: 'already', name: student!.name });
            continue;
          }
          already.add(decision.studentId);
          results.push({ examNo: entry.examNo, row: entry.row, status: 'registered', name: student!.name });
        } else {
          // No name for a refused student: the school is not entitled to see who it is.
          results.push({ examNo: entry.examNo, row: entry.row, status: 'refused', reason: decision.reason, message: REFUSAL_MESSAGES[decision.reason][props.lang] });
        }
        rows.push({
          cycleId: cycle.id,
          highSchoolId: school.id,
          examNo: entry.examNo,
          studentId: decision.studentId,
          source: props.source,
          accepted: decision.accepted,
          rejectionReason: decision.accepted ? null : decision.reason,
          createdBy: actor.id,
          registeredAt: now,
        });
      }
      if (rows.length > 0) await repos.registrations.createMany(rows);
      const counts = {
        registered: results.filter((r) => r.status === 'registered').length,
        already: results.filter((r) => r.status === 'already').length,
        refused: results.filter((r) => r.status === 'refused').length,
      };
      await repos.audit.record({
        actor,
        action: `registration.${props.source}`,
        entity: 'EnrollmentRegistration',
        entityId: school.id,
        after: { highSchoolId: school.id, ...counts, refusedExamNos: results.filter((r) => r.status === 'refused').map((r) => r.examNo) },
        requestId: props.requestId,
        at: now,
      });
      return { ...counts, results };
    });

    // After the commit: the detection job reads the attempts just written.
    if (deps.requestFlagDetection && (props.source === 'import' || report.refused > 0)) {
      await deps.requestFlagDetection({ cycleId: cycle.id, actorId: actor.id, requestId: props.requestId });
    }
    return report;
  }

  return {
    /**
     * Marks students as enrolled and answers with a report of each exam number
     * (registered, already, refused with the reason), as a file import does:
     * refused attempts are written too (they are evidence), so a refusal is a
     * row of the 200 report, never a 4xx after something was written.
     */
    async markEnrolled(actor: Actor, highSchoolId: string, props: { examNos: string[]; lang: Lang; requestId?: string }) {
      authorize(actor, 'registration.submit');
      const entries = [...new Set(props.examNos.map((e) => e.trim()))].map((examNo) => ({ examNo }));
      return register(actor, highSchoolId, entries, { source: 'manual', lang: props.lang, requestId: props.requestId });
    },

    /** Registers the exam numbers of an .xlsx or .csv file; a malformed file is refused whole (nothing written). */
    async importFile(actor: Actor, highSchoolId: string, props: { file: Buffer; lang: Lang; requestId?: string }) {
      authorize(actor, 'registration.submit');
      await schoolFor(actor, highSchoolId);
      await cycles.requireAction('registrations.register');
      const parsed = parseExamNumberRows(await readRows(props.file));
      if (parsed.problems.length > 0) {
        const first = parsed.problems[0];
        throw new AppError('REGISTRATION_IMPORT_INVALID', {
          field: 'file',
          params: { row: first.row, messageZh: first.message['zh-CN'], messageEn: first.message.en },
          details: parsed.problems.map((p) => ({ row: p.row, message: p.message[props.lang] })),
        });
      }
      return register(actor, highSchoolId, parsed.entries, { source: 'import', lang: props.lang, requestId: props.requestId });
    },

    /** The school's registrations (accepted and refused) in the current cycle. */
    /** The school's registrations in the current cycle, or `cycleId` (a past year). */
    async list(actor: Actor, highSchoolId: string, lang: Lang, cycleId?: string) {
      authorize(actor, 'highSchool.read');
      const school = await schoolFor(actor, highSchoolId);
      const cycle = await cycles.forRead(cycleId);
      const rows = await uow.repos.registrations.listForSchool(cycle.id, school.id);
      return {
        phase: cycle.phase,
        open: isActionAllowed('registrations.register', cycle.phase),
        registrations: rows.map((r) => ({
          id: r.id,
          examNo: r.examNo,
          name: r.accepted ? (r.student?.name ?? null) : null,
          accepted: r.accepted,
          reason: r.rejectionReason,
          message: r.rejectionReason && r.rejectionReason in REFUSAL_MESSAGES ? REFUSAL_MESSAGES[r.rejectionReason as RefusalReason][lang] : r.rejectionReason,
          source: r.source,
          registeredAt: r.registeredAt,
        })),
      };
    },
  };
}

/**
 * The rows of an uploaded .xlsx or .csv as text, read like every import
 * (server/infra/sheet-parse-pool.ts: in a worker thread, any of the encodings
 * Excel saves, zip bombs refused), laid out by row number for
 * parseExamNumberRows. An unreadable file is refused whole.
 */
async function readRows(file: Buffer): Promise<string[][]> {
  let sheet: RawSheet | undefined;
  try {
    ({ sheet } = await sharedSheetParser().parse(file, {}));
  } catch (cause) {
    if (!(cause instanceof UnreadableFileError)) throw cause;
    throw new AppError('REGISTRATION_IMPORT_INVALID', { field: 'file', params: { row: 1, messageZh: cause.reason.zh, messageEn: cause.reason.en }, cause });
  }
  if (!sheet) return [];
  const rows: string[][] = [sheet.header];
  for (const row of sheet.rows) rows[row.rowNumber - 1] = row.cells;
  return Array.from(rows, (cells) => cells ?? []);
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;
