/**
 * The four rules of the preschool plan the county bureau is flagged about:
 * names (§15), 两教一保 staffing (§7), safety supervision (§14) and the filed
 * fee account (§11). Pure: registry facts in, flags out, each with evidence
 * in words (names, not ids) and a dedupe key per cycle, rule and kindergarten.
 */
import { nameProblems } from './names';
import { countStaff, isQualified } from './record';
import type { KindergartenFacts, KindergartenFlag, KindergartenFlagRule, RegistryFacts } from './types';
import { NATURE_NAMES } from './types';

/** Days given to fix a safety problem when no deadline was set: buildings and 三防, and staff qualifications. */
export const SAFETY_DAYS = 30;
export const QUALIFICATION_DAYS = 90;

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function flag(cycleId: string, rule: KindergartenFlagRule, k: KindergartenFacts, severity: KindergartenFlag['severity'], evidence: Record<string, unknown>): KindergartenFlag {
  return {
    rule,
    severity,
    highSchoolIds: [],
    studentIds: [],
    regionCodes: [k.regionCode],
    evidence: { kindergartenId: k.id, kindergartenName: k.name, regionCode: k.regionCode, regionName: k.regionName, nature: NATURE_NAMES[k.nature].zh, ...evidence },
    dedupeKey: `${cycleId}:${rule}:${k.id}`,
  };
}

/** §15: a name with a forbidden word, a foreign word or place, a religious term, or (private) a public school's name. */
export function kindergartenNameFlags(cycleId: string, facts: RegistryFacts): KindergartenFlag[] {
  return facts.kindergartens.flatMap((k) => {
    const problems = nameProblems(k.name, k.nature, { publicSchools: facts.publicSchools, placeNames: facts.placeNames, selfName: k.name });
    if (problems.length === 0) return [];
    const severity = problems.some((p) => p.kind === 'public_name' || p.kind === 'religious') ? 'high' : 'medium';
    return [flag(cycleId, 'kindergarten_name', k, severity, { items: problems.map((p) => p.zh), itemsEn: problems.map((p) => p.en), words: problems.map((p) => p.word) })];
  });
}

/** The staff a kindergarten needs for its classes under 两教一保 (two teachers and one carer per class). */
export function requiredStaff(classes: number): { teachers: number; carers: number } {
  return { teachers: 2 * classes, carers: classes };
}

/** §7: fewer than two full-time teachers and one carer per class. */
export function kindergartenStaffingFlags(cycleId: string, facts: RegistryFacts): KindergartenFlag[] {
  return facts.kindergartens.flatMap((k) => {
    const have = countStaff(k.staff);
    const need = requiredStaff(k.classes);
    const missingTeachers = Math.max(0, need.teachers - have.teachers);
    const missingCarers = Math.max(0, need.carers - have.carers);
    if (missingTeachers === 0 && missingCarers === 0) return [];
    const items: string[] = [];
    const itemsEn: string[] = [];
    if (missingTeachers > 0) {
      items.push(`缺专任教师 ${missingTeachers} 名（${k.classes} 个班应有 ${need.teachers} 名，现有 ${have.teachers} 名）`);
      itemsEn.push(`${missingTeachers} full-time teacher(s) short (${k.classes} classes need ${need.teachers}, has ${have.teachers})`);
    }
    if (missingCarers > 0) {
      items.push(`缺保育员 ${missingCarers} 名（${k.classes} 个班应有 ${need.carers} 名，现有 ${have.carers} 名）`);
      itemsEn.push(`${missingCarers} carer(s) short (${k.classes} classes need ${need.carers}, has ${have.carers})`);
    }
    const shortShare = (missingTeachers + missingCarers) / Math.max(1, need.teachers + need.carers);
    return [
      flag(cycleId, 'kindergarten_staffing', k, shortShare > 1 / 3 ? 'high' : 'medium', {
        items,
        itemsEn,
        classes: k.classes,
        teachers: have.teachers,
        carers: have.carers,
        requiredTeachers: need.teachers,
        requiredCarers: need.carers,
      }),
    ];
  });
}

/**
 * §14: a dangerous building, 三防 (人防、物防、技防) not up to standard, or a head
 * or teachers without the required qualification; with the deadline to fix
 * (the one set, else SAFETY_DAYS or QUALIFICATION_DAYS from today).
 */
export function kindergartenSafetyFlags(cycleId: string, facts: RegistryFacts): KindergartenFlag[] {
  return facts.kindergartens.flatMap((k) => {
    const items: string[] = [];
    const itemsEn: string[] = [];
    let severity: KindergartenFlag['severity'] = 'medium';
    let days = QUALIFICATION_DAYS;
    if (k.dangerousBuilding) {
      items.push('存在危房');
      itemsEn.push('a dangerous building (危房)');
      severity = 'critical';
      days = SAFETY_DAYS;
    }
    const defences: [boolean, string, string][] = [
      [k.civilDefence, '人防不达标', 'civil defence (人防) not up to standard'],
      [k.physicalDefence, '物防不达标', 'physical defence (物防) not up to standard'],
      [k.technicalDefence, '技防不达标', 'technical defence (技防) not up to standard'],
    ];
    for (const [ok, zh, en] of defences) {
      if (ok) continue;
      items.push(zh);
      itemsEn.push(en);
      if (severity !== 'critical') severity = 'high';
      days = SAFETY_DAYS;
    }
    const headQualified = isQualified('head', k.headQualification);
    if (!headQualified) {
      items.push(`园长${k.headName}无园长任职资格（现为：${k.headQualification || '无'}）`);
      itemsEn.push(`the head, ${k.headName}, lacks the head's qualification (has: ${k.headQualification || 'none'})`);
    }
    const unqualified = k.staff.filter((s) => s.role === 'teacher' && !isQualified('teacher', s.qualification)).map((s) => s.name);
    if (unqualified.length > 0) {
      items.push(`${unqualified.length} 名专任教师无幼儿园教师资格：${unqualified.join('、')}`);
      itemsEn.push(`${unqualified.length} teacher(s) without the kindergarten teacher certificate: ${unqualified.join(', ')}`);
    }
    if (items.length === 0) return [];
    const deadline = k.rectifyBy ?? addDays(facts.asOf, days);
    return [
      flag(cycleId, 'kindergarten_safety', k, severity, {
        items,
        itemsEn,
        deadline,
        dangerousBuilding: k.dangerousBuilding,
        threeProtections: { civil: k.civilDefence, physical: k.physicalDefence, technical: k.technicalDefence },
        headQualified,
        unqualifiedTeachers: unqualified,
      }),
    ];
  });
}

/** §11: a private kindergarten (普惠性 or not) with no fee account filed. */
export function kindergartenFeeAccountFlags(cycleId: string, facts: RegistryFacts): KindergartenFlag[] {
  return facts.kindergartens
    .filter((k) => k.nature !== 'public' && !(k.feeAccount ?? '').trim())
    .map((k) =>
      flag(cycleId, 'kindergarten_fee_account', k, 'medium', {
        items: ['民办园未备案收费账户，保教费等收费须进入备案账户'],
        itemsEn: ['a private kindergarten without a filed fee account: all fees must go into a filed account'],
      }),
    );
}

/** Every kindergarten rule, in a stable order (rule, then key). */
export function detectKindergartenFlags(cycleId: string, facts: RegistryFacts): KindergartenFlag[] {
  return [
    ...kindergartenNameFlags(cycleId, facts),
    ...kindergartenStaffingFlags(cycleId, facts),
    ...kindergartenSafetyFlags(cycleId, facts),
    ...kindergartenFeeAccountFlags(cycleId, facts),
  ].sort((a, b) => a.rule.localeCompare(b.rule) || a.dedupeKey.localeCompare(b.dedupeKey));
}
