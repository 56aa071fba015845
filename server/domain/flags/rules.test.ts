import { parseCyclePolicy } from '../cycle-policy';
import { describe, expect, it } from 'vitest';
import {
  detectFlags,
  earlyOffers,
  enrolledWithoutAdmission,
  flagPolicyFrom,
  noShowElsewhere,
  outOfScopeEnrollment,
  quotaEligibilityShopping,
  topStudentOutflow,
  topStudentsOf,
} from './rules';
import type { FlagInputs, FlagStudent, RegistrationFact } from './types';

/*
 * A small city: region C (the city) with public city-scope school HC and
 * private region-scope school PC; county K with school HK. Twenty students
 * per region, totals 700 down to 605 (the first of each is the region's top 5%).
 */
const CYCLE = 'cy1';
const published = new Date('2026-07-10T00:00:00Z');

function students(region: 'C' | 'K'): FlagStudent[] {
  return Array.from({ length: 20 }, (_, i) => ({
    id: `${region}${i}`,
    examNo: `E${region}${i}`,
    regionCode: region,
    juniorSchoolId: `J${region}`,
    total: 700 - i * 5,
    quotaEligible: true,
  }));
}

function base(overrides: Partial<FlagInputs> = {}): FlagInputs {
  return {
    cycleId: CYCLE,
    policy: { quotaEligibilityCutoff: new Date('2023-09-30'), topStudentShare: 0.05 },
    students: [...students('C'), ...students('K')],
    highSchools: [
      { id: 'HC', regionCode: 'C', scope: 'city' },
      { id: 'PC', regionCode: 'C', scope: 'region' },
      { id: 'HK', regionCode: 'K', scope: 'city' },
      { id: 'HK2', regionCode: 'K', scope: 'city' },
    ],
    quotaSeatsByJuniorSchool: { JC: 40, JK: 10, JK2: 5 },
    placements: [
      { roundId: 'r1', studentId: 'C0', highSchoolId: 'HC', seat: 'open', publishedAt: published },
      { roundId: 'r1', studentId: 'K0', highSchoolId: 'HK', seat: 'open', publishedAt: published },
      { roundId: 'r1', studentId: 'K1', highSchoolId: 'HK', seat: 'quota', publishedAt: published },
      { roundId: 'r1', studentId: 'C5', highSchoolId: 'PC', seat: 'open', publishedAt: published },
    ],
    confirmations: [
      { roundId: 'r1', studentId: 'C0', decision: 'confirmed' },
      { roundId: 'r1', studentId: 'K0', decision: 'confirmed' },
      { roundId: 'r1', studentId: 'K1', decision: 'confirmed' },
      { roundId: 'r1', studentId: 'C5', decision: 'confirmed' },
    ],
    registrations: [
      reg('HC', 'C0'),
      reg('HK', 'K0'),
      reg('HK', 'K1'),
      reg('PC', 'C5'),
    ],
    history: [],
    complaints: [],
    ...overrides,
  };
}

let regSeq = 0;
function reg(highSchoolId: string, studentId: string | null, accepted = true): RegistrationFact {
  regSeq++;
  return {
    id: `reg${regSeq}`,
    highSchoolId,
    examNo: studentId ? `E${studentId}` : `UNKNOWN${regSeq}`,
    studentId,
    registeredAt: new Date('2026-08-20T08:00:00Z'),
    accepted,
    rejectionReason: accepted ? null : 'not admitted here',
  };
}

describe('a clean cycle', () => {
  it('raises no flag when every registration matches a published, confirmed placement', () => {
    expect(detectFlags(base())).toEqual([]);
  });
});

describe('enrolled without admission (未录取注册)', () => {
  it('is critical when the student was admitted at a school of another region', () => {
    const inputs = base({ registrations: [...base().registrations, reg('HC', 'K0')] });
    const flags = enrolledWithoutAdmission(inputs);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      severity: 'critical',
      highSchoolIds: ['HC', 'HK'],
      studentIds: ['K0'],
      regionCodes: ['C', 'K'],
      dedupeKey: 'cy1:enrolled_without_admission:HC:K0',
      evidence: { registeredAt: 'HC', admittedAt: 'HK', admittedSchoolRegion: 'K', studentRegion: 'K', accepted: true },
    });
  });

  it('is high when the other school is in the same region, medium when admitted nowhere', () => {
    const inputs = base({ registrations: [...base().registrations, reg('HK2', 'K0'), reg('HC', 'C9')] });
    const bySchool = Object.fromEntries(enrolledWithoutAdmission(inputs).map((f) => [f.studentIds[0], f.severity]));
    expect(bySchool).toEqual({ K0: 'high', C9: 'medium' });
  });

  it('is one step lower for a refused attempt only', () => {
    const inputs = base({ registrations: [...base().registrations, reg('HC', 'K0', false)] });
    expect(enrolledWithoutAdmission(inputs)[0].severity).toBe('high');
  });

  it('does not fire for the school that admitted the student, even in a later round', () => {
    const inputs = base({
      placements: [...base().placements, { roundId: 'r2', studentId: 'C9', highSchoolId: 'HC', seat: 'open', publishedAt: new Date('2026-08-01') }],
      registrations: [...base().registrations, reg('HC', 'C9')],
    });
    expect(enrolledWithoutAdmission(inputs)).toEqual([]);
  });

  it('flags an accepted registration of an unknown exam number, not a refused one', () => {
    const accepted = enrolledWithoutAdmission(base({ registrations: [reg('HC', null)] }));
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ severity: 'medium', studentIds: [], evidence: { unknownStudent: true } });
    expect(enrolledWithoutAdmission(base({ registrations: [reg('HC', null, false)] }))).toEqual([]);
  });

  it('leaves an unconfirmed admitted student to the no-show rule', () => {
    const inputs = base({
      confirmations: base().confirmations.filter((c) => c.studentId !== 'K0'),
      registrations: [...base().registrations, reg('HC', 'K0')],
    });
    expect(enrolledWithoutAdmission(inputs)).toEqual([]);
    expect(noShowElsewhere(inputs)).toHaveLength(1);
  });
});

describe('out-of-scope enrollment (属地招生)', () => {
  it('fires when a region-scope school registers a student of another region', () => {
    const flags = outOfScopeEnrollment(base({ registrations: [reg('PC', 'K7')] }));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      severity: 'high',
      highSchoolIds: ['PC'],
      studentIds: ['K7'],
      evidence: { schoolRegion: 'C', studentRegion: 'K', schoolScope: 'region' },
      dedupeKey: 'cy1:out_of_scope_enrollment:PC:K7',
    });
  });

  it('is low for a refused attempt', () => {
    expect(outOfScopeEnrollment(base({ registrations: [reg('PC', 'K7', false)] }))[0].severity).toBe('low');
  });

  it('does not fire for its own region or for a city-scope school', () => {
    expect(outOfScopeEnrollment(base({ registrations: [reg('PC', 'C7'), reg('HC', 'K7')] }))).toEqual([]);
  });
});

describe('top-student outflow (跨区域掐尖)', () => {
  it('takes the top share with ties at the threshold', () => {
    const list = [700, 690, 690, 600].map((total, i) => ({ id: `s${i}`, examNo: '', regionCode: 'K', juniorSchoolId: 'J', total, quotaEligible: false }));
    expect(topStudentsOf(list, 0.5).students.map((s) => s.id)).toEqual(['s0', 's1', 's2']);
    expect(topStudentsOf(list, 0.05).students.map((s) => s.id)).toEqual(['s0']);
    expect(topStudentsOf([], 0.05).students).toEqual([]);
  });

  it('fires when registrations move more top students out than the published results', () => {
    const inputs = base({ registrations: [...base().registrations, reg('HC', 'K0')] });
    const flags = topStudentOutflow(inputs);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      rule: 'top_student_outflow',
      highSchoolIds: ['HC'],
      studentIds: ['K0'],
      regionCodes: ['C', 'K'],
      dedupeKey: 'cy1:top_student_outflow:K',
      evidence: { region: 'K', topStudents: 1, thresholdScore: 700, publishedOutflow: 0, registeredOutflow: 1, excess: 1 },
    });
  });

  it('does not fire when the published results account for the outflow', () => {
    const placements = base().placements.map((p) => (p.studentId === 'K0' ? { ...p, highSchoolId: 'HC' } : p));
    const registrations = [...base().registrations.filter((r) => r.studentId !== 'K0'), reg('HC', 'K0')];
    expect(topStudentOutflow(base({ placements, registrations }))).toEqual([]);
  });

  it('ignores refused attempts and students outside the top share', () => {
    const inputs = base({ registrations: [...base().registrations, reg('HC', 'K0', false), reg('HC', 'K8')] });
    expect(topStudentOutflow(inputs)).toEqual([]);
  });
});

describe('quota eligibility shopping', () => {
  const moved = {
    history: [
      { studentId: 'K3', juniorSchoolId: 'JK2', from: new Date('2023-09-01'), to: new Date('2025-03-01') },
      { studentId: 'K3', juniorSchoolId: 'JK', from: new Date('2025-03-01'), to: null },
    ],
  };

  it('fires for a quota-eligible student whose 学籍 moved after the cut-off to a school with more quota seats', () => {
    const flags = quotaEligibilityShopping(base(moved));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      severity: 'high',
      studentIds: ['K3'],
      evidence: { cutoffDate: '2023-09-30', movedOn: '2025-03-01', fromJuniorSchool: 'JK2', fromQuotaSeats: 5, toJuniorSchool: 'JK', toQuotaSeats: 10 },
      dedupeKey: 'cy1:quota_eligibility_shopping:K3',
    });
  });

  it('is critical when the student then took a quota seat', () => {
    const history = moved.history.map((h) => ({ ...h, studentId: 'K1' }));
    const flags = quotaEligibilityShopping(base({ history }));
    expect(flags[0]).toMatchObject({ severity: 'critical', highSchoolIds: ['HK'], evidence: { quotaSeatUsed: true } });
  });

  it('does not fire when the move was before the cut-off, toward fewer seats, or the student is not eligible', () => {
    const early = moved.history.map((h) => (h.juniorSchoolId === 'JK' ? { ...h, from: new Date('2023-09-15') } : h));
    expect(quotaEligibilityShopping(base({ history: early }))).toEqual([]);
    const fewer = [
      { studentId: 'C3', juniorSchoolId: 'JC', from: new Date('2023-09-01'), to: new Date('2025-03-01') },
      { studentId: 'C3', juniorSchoolId: 'JK', from: new Date('2025-03-01'), to: null },
    ];
    const c3InK = base().students.map((s) => (s.id === 'C3' ? { ...s, juniorSchoolId: 'JK' } : s));
    expect(quotaEligibilityShopping(base({ history: fewer, students: c3InK }))).toEqual([]);
    const notEligible = base().students.map((s) => (s.id === 'K3' ? { ...s, quotaEligible: false } : s));
    expect(quotaEligibilityShopping(base({ ...moved, students: notEligible }))).toEqual([]);
  });

  it('reads the cut-off from the policy, with the cycle policy\'s default: the start of the first year of junior high', () => {
    expect(flagPolicyFrom({ quotaEligibilityCutoff: '2023-10-01', topStudentShare: 0.1 }, 2026)).toEqual({
      quotaEligibilityCutoff: new Date('2023-10-01'),
      topStudentShare: 0.1,
    });
    expect(flagPolicyFrom({}, 2026)).toEqual({ quotaEligibilityCutoff: new Date('2023-09-01T00:00:00Z'), topStudentShare: 0.05 });
    // One default with the rest of the platform: what the cycle policy says a new cycle stores.
    expect(flagPolicyFrom({}, 2026).quotaEligibilityCutoff.toISOString().slice(0, 10)).toBe(parseCyclePolicy({}, 2026).quotaEligibilityCutoff);
  });
});

describe('early offers', () => {
  const complaint = (id: string, highSchoolId: string | null) => ({
    id,
    highSchoolId,
    schoolName: highSchoolId ?? '某私立学校',
    studentName: null,
    description: '中考前承诺录取',
    createdAt: new Date(`2026-05-0${id.length}T00:00:00Z`),
  });

  it('groups reports about one school into one flag, each unknown school its own', () => {
    const flags = earlyOffers(base({ complaints: [complaint('a', 'PC'), complaint('bb', 'PC'), complaint('ccc', null)] }));
    expect(flags.map((f) => [f.dedupeKey, f.severity, f.complaintIds])).toEqual([
      ['cy1:early_offer:school:PC', 'medium', ['a', 'bb']],
      ['cy1:early_offer:complaint:ccc', 'medium', ['ccc']],
    ]);
    expect(flags[0].regionCodes).toEqual(['C']);
  });

  it('is high from three reports on, and absent without reports', () => {
    const flags = earlyOffers(base({ complaints: [complaint('a', 'PC'), complaint('bb', 'PC'), complaint('ccc', 'PC')] }));
    expect(flags[0].severity).toBe('high');
    expect(earlyOffers(base())).toEqual([]);
  });
});

describe('no-show then elsewhere', () => {
  it('fires when an admitted student who did not confirm is registered by another school', () => {
    const inputs = base({
      confirmations: [...base().confirmations.filter((c) => c.studentId !== 'C0'), { roundId: 'r1', studentId: 'C0', decision: 'declined' }],
      registrations: [reg('HK', 'C0')],
    });
    const flags = noShowElsewhere(inputs);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      severity: 'high',
      highSchoolIds: ['HC', 'HK'],
      studentIds: ['C0'],
      evidence: { admittedAt: 'HC', confirmation: 'declined', registeredAt: 'HK' },
    });
  });

  it('does not fire when the student confirmed, or was admitted at the registering school in a later round', () => {
    expect(noShowElsewhere(base({ registrations: [reg('HK', 'C0')] }))).toEqual([]);
    const inputs = base({
      confirmations: base().confirmations.filter((c) => c.studentId !== 'C0'),
      placements: [...base().placements, { roundId: 'r2', studentId: 'C0', highSchoolId: 'HK', seat: 'open', publishedAt: new Date('2026-08-01') }],
      registrations: [reg('HK', 'C0')],
    });
    expect(noShowElsewhere(inputs)).toEqual([]);
  });
});

describe('detectFlags', () => {
  it('is deterministic: same inputs, same flags and keys', () => {
    const inputs = base({ registrations: [...base().registrations, reg('HC', 'K0'), reg('PC', 'K7')] });
    const first = detectFlags(inputs);
    expect(detectFlags(inputs)).toEqual(first);
    expect(first.map((f) => f.rule)).toEqual([
      'enrolled_without_admission',
      'enrolled_without_admission',
      'out_of_scope_enrollment',
      'top_student_outflow',
    ]);
    expect(new Set(first.map((f) => f.dedupeKey)).size).toBe(first.length);
  });
});
