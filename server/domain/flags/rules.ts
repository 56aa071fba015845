import { parseCyclePolicy } from '../cycle-policy';
import type {
  DetectedFlag,
  FlagInputs,
  FlagPolicy,
  FlagSeverity,
  FlagStudent,
  PublishedPlacement,
  RegistrationFact,
} from './types';

/**
 * The six irregularity rules of PLATFORM.md as pure functions: inputs in,
 * flags out. Each flag carries its evidence and a dedupe key built from the
 * cycle, the rule and who it is about, so the detection job can upsert and a
 * re-run adds no duplicate.
 */

/**
 * The rule settings from a cycle's policy JSON. The 学籍 cut-off and the
 * top-student share, and their defaults, are the cycle policy's
 * (server/domain/cycle-policy.ts): the same date the import uses to mark a
 * student quota-eligible, so the platform never flags what it accepted.
 */
export function flagPolicyFrom(policy: unknown, year: number): FlagPolicy {
  const parsed = parseCyclePolicy(policy, year);
  return { quotaEligibilityCutoff: new Date(`${parsed.quotaEligibilityCutoff}T00:00:00Z`), topStudentShare: parsed.topStudentShare };
}

const LADDER: readonly FlagSeverity[] = ['low', 'medium', 'high', 'critical'];
function stepDown(severity: FlagSeverity): FlagSeverity {
  return LADDER[Math.max(0, LADDER.indexOf(severity) - 1)];
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const uniqueSorted = (values: Iterable<string | null | undefined>) =>
  [...new Set([...values].filter((v): v is string => typeof v === 'string' && v.length > 0))].sort();

/** Lookups shared by the rules. */
function indexInputs(inputs: FlagInputs) {
  const students = new Map(inputs.students.map((s) => [s.id, s]));
  const schools = new Map(inputs.highSchools.map((h) => [h.id, h]));
  const placementsByStudent = new Map<string, PublishedPlacement[]>();
  for (const p of [...inputs.placements].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime())) {
    const list = placementsByStudent.get(p.studentId) ?? [];
    list.push(p);
    placementsByStudent.set(p.studentId, list);
  }
  const confirmed = new Set(inputs.confirmations.filter((c) => c.decision === 'confirmed').map((c) => `${c.roundId}|${c.studentId}`));
  return {
    students,
    schools,
    /** Every school that admitted the student in a published round. */
    admittedAt(studentId: string): Set<string> {
      return new Set((placementsByStudent.get(studentId) ?? []).map((p) => p.highSchoolId));
    },
    /** The placement that stands: the latest published one. */
    latestPlacement(studentId: string): PublishedPlacement | undefined {
      return placementsByStudent.get(studentId)?.at(-1);
    },
    isConfirmed(p: PublishedPlacement): boolean {
      return confirmed.has(`${p.roundId}|${p.studentId}`);
    },
  };
}
type Index = ReturnType<typeof indexInputs>;

/** Registrations grouped by (school, student or exam number), attempts and accepted ones together. */
function groupRegistrations(registrations: readonly RegistrationFact[]) {
  const groups = new Map<string, RegistrationFact[]>();
  for (const r of registrations) {
    const key = `${r.highSchoolId}|${r.studentId ?? `exam:${r.examNo}`}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

function registrationEvidence(rows: readonly RegistrationFact[]) {
  return rows.map((r) => ({
    registrationId: r.id,
    examNo: r.examNo,
    registeredAt: r.registeredAt.toISOString(),
    accepted: r.accepted,
    rejectionReason: r.rejectionReason,
  }));
}

/** Why a registration at a school the student was not admitted to is a no-show case instead (rule 6). */
function isNoShowElsewhere(index: Index, studentId: string, highSchoolId: string): PublishedPlacement | undefined {
  const latest = index.latestPlacement(studentId);
  if (!latest || latest.highSchoolId === highSchoolId) return undefined;
  if (index.admittedAt(studentId).has(highSchoolId)) return undefined;
  return index.isConfirmed(latest) ? undefined : latest;
}

/**
 * 未录取注册: a high school registers (or tries to) a student the platform did
 * not admit there. Medium when the student was admitted nowhere, high when
 * admitted (and confirmed) at another school, critical when that school is in
 * another region; a refused attempt only is one step lower. A student who did
 * not confirm the seat they were given is the no-show rule's case instead.
 */
export function enrolledWithoutAdmission(inputs: FlagInputs, index: Index = indexInputs(inputs)): DetectedFlag[] {
  const flags: DetectedFlag[] = [];
  for (const rows of groupRegistrations(inputs.registrations)) {
    const { highSchoolId, studentId, examNo } = rows[0];
    const school = index.schools.get(highSchoolId);
    const anyAccepted = rows.some((r) => r.accepted);
    if (!studentId) {
      // An exam number that matches nobody: only an accepted registration is an irregularity.
      if (!anyAccepted) continue;
      flags.push({
        rule: 'enrolled_without_admission',
        severity: 'medium',
        highSchoolIds: [highSchoolId],
        studentIds: [],
        regionCodes: uniqueSorted([school?.regionCode]),
        evidence: { registeredAt: highSchoolId, examNo, unknownStudent: true, registrations: registrationEvidence(rows) },
        dedupeKey: `${inputs.cycleId}:enrolled_without_admission:${highSchoolId}:exam:${examNo}`,
      });
      continue;
    }
    if (index.admittedAt(studentId).has(highSchoolId)) continue;
    if (isNoShowElsewhere(index, studentId, highSchoolId)) continue;
    const student = index.students.get(studentId);
    const admitted = index.latestPlacement(studentId);
    const admittedSchool = admitted ? index.schools.get(admitted.highSchoolId) : undefined;
    let severity: FlagSeverity = 'medium';
    if (admitted) severity = admittedSchool && school && admittedSchool.regionCode !== school.regionCode ? 'critical' : 'high';
    if (!anyAccepted) severity = stepDown(severity);
    flags.push({
      rule: 'enrolled_without_admission',
      severity,
      highSchoolIds: uniqueSorted([highSchoolId, admitted?.highSchoolId]),
      studentIds: [studentId],
      regionCodes: uniqueSorted([school?.regionCode, student?.regionCode, admittedSchool?.regionCode]),
      evidence: {
        registeredAt: highSchoolId,
        registeredSchoolRegion: school?.regionCode ?? null,
        studentRegion: student?.regionCode ?? null,
        examNo: student?.examNo ?? examNo,
        admittedAt: admitted?.highSchoolId ?? null,
        admittedSchoolRegion: admittedSchool?.regionCode ?? null,
        admittedRoundId: admitted?.roundId ?? null,
        accepted: anyAccepted,
        registrations: registrationEvidence(rows),
      },
      dedupeKey: `${inputs.cycleId}:enrolled_without_admission:${highSchoolId}:${studentId}`,
    });
  }
  return flags;
}

/**
 * Out-of-scope enrollment (属地招生): a region-scope school registers a student
 * of another region. High when accepted, low for a refused attempt only.
 */
export function outOfScopeEnrollment(inputs: FlagInputs, index: Index = indexInputs(inputs)): DetectedFlag[] {
  const flags: DetectedFlag[] = [];
  for (const rows of groupRegistrations(inputs.registrations)) {
    const { highSchoolId, studentId } = rows[0];
    if (!studentId) continue;
    const school = index.schools.get(highSchoolId);
    const student = index.students.get(studentId);
    if (!school || !student || school.scope !== 'region' || school.regionCode === student.regionCode) continue;
    const anyAccepted = rows.some((r) => r.accepted);
    flags.push({
      rule: 'out_of_scope_enrollment',
      severity: anyAccepted ? 'high' : 'low',
      highSchoolIds: [highSchoolId],
      studentIds: [studentId],
      regionCodes: uniqueSorted([school.regionCode, student.regionCode]),
      evidence: {
        registeredAt: highSchoolId,
        schoolScope: school.scope,
        schoolRegion: school.regionCode,
        studentRegion: student.regionCode,
        examNo: student.examNo,
        accepted: anyAccepted,
        registrations: registrationEvidence(rows),
      },
      dedupeKey: `${inputs.cycleId}:out_of_scope_enrollment:${highSchoolId}:${studentId}`,
    });
  }
  return flags;
}

/** A region's top students: the best `share` of its students by total, ties at the threshold included. */
export function topStudentsOf(students: readonly FlagStudent[], share: number): { threshold: number; students: FlagStudent[] } {
  if (students.length === 0) return { threshold: Infinity, students: [] };
  const sorted = [...students].sort((a, b) => b.total - a.total);
  const count = Math.max(1, Math.ceil(sorted.length * share));
  const threshold = sorted[count - 1].total;
  return { threshold, students: sorted.filter((s) => s.total >= threshold) };
}

/**
 * 跨区域掐尖: a region loses more of its top students to other regions'
 * schools (accepted registrations) than the published results send there.
 * One flag per region; high when the excess is 3 or more or a tenth of its
 * top students, else medium.
 */
export function topStudentOutflow(inputs: FlagInputs, index: Index = indexInputs(inputs)): DetectedFlag[] {
  const byRegion = new Map<string, FlagStudent[]>();
  for (const s of inputs.students) byRegion.set(s.regionCode, [...(byRegion.get(s.regionCode) ?? []), s]);
  const acceptedAt = new Map<string, Set<string>>();
  for (const r of inputs.registrations) {
    if (!r.accepted || !r.studentId) continue;
    acceptedAt.set(r.studentId, (acceptedAt.get(r.studentId) ?? new Set()).add(r.highSchoolId));
  }
  const otherRegion = (regionCode: string, highSchoolId: string | undefined) => {
    const school = highSchoolId ? index.schools.get(highSchoolId) : undefined;
    return school !== undefined && school.regionCode !== regionCode;
  };

  const flags: DetectedFlag[] = [];
  for (const [regionCode, students] of [...byRegion].sort(([a], [b]) => a.localeCompare(b))) {
    const top = topStudentsOf(students, inputs.policy.topStudentShare);
    let publishedOutflow = 0;
    let registeredOutflow = 0;
    const unexplained: { studentId: string; examNo: string; total: number; registeredAt: string; publishedAt: string | null }[] = [];
    for (const s of top.students) {
      const placed = index.latestPlacement(s.id)?.highSchoolId;
      if (otherRegion(regionCode, placed)) publishedOutflow++;
      const outside = [...(acceptedAt.get(s.id) ?? [])].filter((h) => otherRegion(regionCode, h)).sort();
      if (outside.length > 0) {
        registeredOutflow++;
        if (!index.admittedAt(s.id).has(outside[0]))
          unexplained.push({ studentId: s.id, examNo: s.examNo, total: s.total, registeredAt: outside[0], publishedAt: placed ?? null });
      }
    }
    const excess = registeredOutflow - publishedOutflow;
    if (excess <= 0 || unexplained.length === 0) continue;
    const receiving = uniqueSorted(unexplained.map((u) => u.registeredAt));
    flags.push({
      rule: 'top_student_outflow',
      severity: excess >= 3 || excess >= top.students.length / 10 ? 'high' : 'medium',
      highSchoolIds: receiving,
      studentIds: unexplained.map((u) => u.studentId).sort(),
      regionCodes: uniqueSorted([regionCode, ...receiving.map((h) => index.schools.get(h)?.regionCode)]),
      evidence: {
        region: regionCode,
        topShare: inputs.policy.topStudentShare,
        topStudents: top.students.length,
        thresholdScore: top.threshold,
        publishedOutflow,
        registeredOutflow,
        excess,
        students: unexplained,
      },
      dedupeKey: `${inputs.cycleId}:top_student_outflow:${regionCode}`,
    });
  }
  return flags;
}

/**
 * Quota eligibility shopping: the student's 学籍 moved after the cut-off date
 * to a junior school with more quota seats than the one left, yet the student
 * is marked quota-eligible. Critical when a quota seat was then obtained.
 */
export function quotaEligibilityShopping(inputs: FlagInputs, index: Index = indexInputs(inputs)): DetectedFlag[] {
  const cutoff = inputs.policy.quotaEligibilityCutoff.getTime();
  const stays = new Map<string, typeof inputs.history[number][]>();
  for (const h of inputs.history) stays.set(h.studentId, [...(stays.get(h.studentId) ?? []), h]);
  const seats = (juniorSchoolId: string) => inputs.quotaSeatsByJuniorSchool[juniorSchoolId] ?? 0;

  const flags: DetectedFlag[] = [];
  for (const student of inputs.students) {
    if (!student.quotaEligible) continue;
    const history = [...(stays.get(student.id) ?? [])].sort((a, b) => a.from.getTime() - b.from.getTime());
    const moves = history
      .map((stay, i) => ({ from: history[i - 1], to: stay }))
      .filter((m) => m.from && m.from.juniorSchoolId !== m.to.juniorSchoolId && m.to.from.getTime() > cutoff && seats(m.to.juniorSchoolId) > seats(m.from.juniorSchoolId));
    // Only a move into the school the student is quota-eligible at now matters.
    const move = moves.filter((m) => m.to.juniorSchoolId === student.juniorSchoolId).at(-1);
    if (!move) continue;
    const placement = index.latestPlacement(student.id);
    const quotaSeatUsed = placement?.seat === 'quota';
    flags.push({
      rule: 'quota_eligibility_shopping',
      severity: quotaSeatUsed ? 'critical' : 'high',
      highSchoolIds: quotaSeatUsed && placement ? [placement.highSchoolId] : [],
      studentIds: [student.id],
      regionCodes: uniqueSorted([student.regionCode, quotaSeatUsed ? index.schools.get(placement!.highSchoolId)?.regionCode : undefined]),
      evidence: {
        examNo: student.examNo,
        cutoffDate: day(inputs.policy.quotaEligibilityCutoff),
        movedOn: day(move.to.from),
        fromJuniorSchool: move.from.juniorSchoolId,
        fromQuotaSeats: seats(move.from.juniorSchoolId),
        toJuniorSchool: move.to.juniorSchoolId,
        toQuotaSeats: seats(move.to.juniorSchoolId),
        quotaEligible: true,
        quotaSeatUsed,
        admittedAt: placement?.highSchoolId ?? null,
      },
      dedupeKey: `${inputs.cycleId}:quota_eligibility_shopping:${student.id}`,
    });
  }
  return flags;
}

/**
 * Early offers: reports from families that a school promised a place before
 * the schedule. One flag per named school (every report about it as
 * evidence), or per report when the school could not be identified; high
 * from three reports on.
 */
export function earlyOffers(inputs: FlagInputs, index: Index = indexInputs(inputs)): DetectedFlag[] {
  const groups = new Map<string, typeof inputs.complaints[number][]>();
  for (const c of inputs.complaints) {
    const key = c.highSchoolId ? `school:${c.highSchoolId}` : `complaint:${c.id}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups].map(([key, complaints]) => {
    const sorted = [...complaints].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const highSchoolId = sorted[0].highSchoolId;
    return {
      rule: 'early_offer' as const,
      severity: (sorted.length >= 3 ? 'high' : 'medium') as FlagSeverity,
      highSchoolIds: highSchoolId ? [highSchoolId] : [],
      studentIds: [],
      regionCodes: uniqueSorted([highSchoolId ? index.schools.get(highSchoolId)?.regionCode : undefined]),
      evidence: {
        schoolName: sorted[0].schoolName,
        reports: sorted.length,
        complaints: sorted.map((c) => ({
          complaintId: c.id,
          schoolName: c.schoolName,
          studentName: c.studentName,
          description: c.description,
          createdAt: c.createdAt.toISOString(),
        })),
      },
      dedupeKey: `${inputs.cycleId}:early_offer:${key}`,
      complaintIds: sorted.map((c) => c.id),
    };
  });
}

/**
 * No-show then elsewhere: a student admitted in a published round who did not
 * confirm that seat turns up in another school's registration (accepted or
 * attempted) that did not admit them. High when that school is in another
 * region than the admitting one, else medium; one step lower for attempts only.
 */
export function noShowElsewhere(inputs: FlagInputs, index: Index = indexInputs(inputs)): DetectedFlag[] {
  const flags: DetectedFlag[] = [];
  for (const rows of groupRegistrations(inputs.registrations)) {
    const { highSchoolId, studentId } = rows[0];
    if (!studentId) continue;
    const placement = isNoShowElsewhere(index, studentId, highSchoolId);
    if (!placement) continue;
    const school = index.schools.get(highSchoolId);
    const admittedSchool = index.schools.get(placement.highSchoolId);
    const student = index.students.get(studentId);
    const anyAccepted = rows.some((r) => r.accepted);
    let severity: FlagSeverity = school && admittedSchool && school.regionCode !== admittedSchool.regionCode ? 'high' : 'medium';
    if (!anyAccepted) severity = stepDown(severity);
    const declined = inputs.confirmations.some((c) => c.roundId === placement.roundId && c.studentId === studentId && c.decision === 'declined');
    flags.push({
      rule: 'no_show_elsewhere',
      severity,
      highSchoolIds: uniqueSorted([placement.highSchoolId, highSchoolId]),
      studentIds: [studentId],
      regionCodes: uniqueSorted([school?.regionCode, admittedSchool?.regionCode, student?.regionCode]),
      evidence: {
        examNo: student?.examNo ?? rows[0].examNo,
        admittedAt: placement.highSchoolId,
        admittedRoundId: placement.roundId,
        confirmation: declined ? 'declined' : 'none',
        registeredAt: highSchoolId,
        accepted: anyAccepted,
        registrations: registrationEvidence(rows),
      },
      dedupeKey: `${inputs.cycleId}:no_show_elsewhere:${studentId}:${highSchoolId}`,
    });
  }
  return flags;
}

/** Runs every rule; flags in a stable order (rule, then key). */
export function detectFlags(inputs: FlagInputs): DetectedFlag[] {
  const index = indexInputs(inputs);
  const flags = [
    ...enrolledWithoutAdmission(inputs, index),
    ...outOfScopeEnrollment(inputs, index),
    ...topStudentOutflow(inputs, index),
    ...quotaEligibilityShopping(inputs, index),
    ...earlyOffers(inputs, index),
    ...noShowElsewhere(inputs, index),
  ];
  return flags.sort((a, b) => a.rule.localeCompare(b.rule) || a.dedupeKey.localeCompare(b.dedupeKey));
}
