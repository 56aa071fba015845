/**
 * The demo city's kindergartens (学前教育, issue 18): about 600 across the nine
 * regions, generated from the seed like the rest of the demo city (pure and
 * deterministic), with some of each rule of the preschool plan broken so the
 * county bureaus have flags to review: names (§15), 两教一保 (§7), safety and
 * qualifications (§14), a private kindergarten's fee account (§11). Also each
 * region's count of children aged 3-5, for the gross enrolment rate. People's
 * names are assembled from syllables; no real person is described.
 */
import { chineseNumber, GIVEN_FEMALE, REGION_INFO, SURNAMES, type RegionInfo } from './catalogue';
import { Rng } from './rng';
import { feeMonthlyMin } from '../domain/kindergartens/record';
import type { Evaluation, Fee, Inspection, KindergartenFields, KindergartenGrade, KindergartenNature, StaffMember } from '../domain/kindergartens/types';

/** A demo kindergarten: a complete record (it always has an opening date). */
export interface DemoKindergarten extends KindergartenFields {
  openedOn: string;
}

export interface DemoPreschool {
  kindergartens: DemoKindergarten[];
  /** Children aged 3-5 per region, for `year`. */
  population: { regionCode: string; year: number; children: number }[];
  /** One account per kindergarten: username the id in lower case (k0001…). */
  accounts: { username: string; displayName: string; kindergartenId: string; regionCode: string }[];
}

const PRIVATE_WORDS = ['阳光', '蓝天', '童趣', '金色摇篮', '小太阳', '启航', '彩虹', '星星', '花朵', '春芽', '贝贝', '快乐', '博雅', '智慧树', '七彩', '苗苗', '小红帽', '童心', '育苗', '晨曦', '金太阳', '新芽', '乐乐', '欣欣'];
/** Names that break §15, one per kind of problem (the public-name case is built from a real public name). */
const BAD_NAME_PARTS = ['国际', '双语', '艺术', '剑桥', '禅心', 'Kids', '中华', '国学'];
const STREETS = ['路', '大道', '街', '巷'];

function personName(rng: Rng): string {
  const total = SURNAMES.reduce((a, [, w]) => a + w, 0);
  let x = rng.int(total);
  let surname = SURNAMES[0][0];
  for (const [s, w] of SURNAMES) {
    if (x < w) {
      surname = s;
      break;
    }
    x -= w;
  }
  return surname + rng.pick(GIVEN_FEMALE) + (rng.chance(0.6) ? rng.pick(GIVEN_FEMALE) : '');
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Kindergartens per region, in proportion to population (600 in all). */
function regionCounts(regions: readonly RegionInfo[], total: number): number[] {
  const sum = regions.reduce((a, r) => a + r.population, 0);
  const counts = regions.map((r) => Math.floor((r.population / sum) * total));
  for (let i = 0; counts.reduce((a, b) => a + b, 0) < total; i = (i + 1) % counts.length) counts[i]++;
  return counts;
}

/** Generates the demo kindergartens for the regions of the demo city (codes as in REGION_INFO). */
export function generateKindergartens(options: { seed: string; year: number; regionCodes: readonly string[]; total?: number }): DemoPreschool {
  const rng = new Rng(`${options.seed}/kindergartens`);
  const regions = REGION_INFO.filter((r) => options.regionCodes.includes(r.code));
  const counts = regionCounts(regions, options.total ?? 600);
  const kindergartens: DemoKindergarten[] = [];
  const population: DemoPreschool['population'] = [];
  const taken = new Set<string>();
  let seq = 0;

  regions.forEach((region, ri) => {
    // Each region its own mix, so some meet the plan's goals and some do not.
    const publicShare = 0.35 + 0.3 * rng.next();
    const privateShare = 0.04 + 0.1 * rng.next();
    const publicNames: string[] = [];
    let ordinal = 0;
    let regionChildren = 0;
    for (let i = 0; i < counts[ri]; i++) {
      seq++;
      const id = `K${pad(seq, 4)}`;
      const roll = rng.next();
      const nature: KindergartenNature = roll < publicShare ? 'public' : roll < 1 - privateShare ? 'puhui_private' : 'private';
      const place = rng.pick(region.places);
      let name: string;
      if (nature === 'public') {
        const kind = rng.int(4);
        name =
          kind === 0 && ordinal < 12 ? `${region.name}第${chineseNumber(++ordinal)}幼儿园` : kind === 1 ? `${region.name}${place}中心幼儿园` : kind === 2 ? `${region.name}${place}幼儿园` : `${region.name}${place}实验幼儿园`;
        for (let n = 2; taken.has(name); n++) name = `${region.name}${place}第${chineseNumber(n)}幼儿园`;
        publicNames.push(name);
      } else {
        name = `${place}${rng.pick(PRIVATE_WORDS)}幼儿园`;
        for (let n = 0; taken.has(name); n++) name = `${place}${rng.pick(PRIVATE_WORDS)}${rng.pick(PRIVATE_WORDS)}幼儿园`;
        // §15 broken: about one private kindergarten in twenty.
        if (rng.chance(0.05)) {
          name =
            rng.chance(0.25) && publicNames.length > 0
              ? `${rng.pick(publicNames)}${rng.pick(PRIVATE_WORDS)}分园`
              : `${place}${rng.pick(BAD_NAME_PARTS)}幼儿园`;
          for (let n = 2; taken.has(name); n++) name = name.replace(/(分园|幼儿园)$/, `${chineseNumber(n)}$1`);
        }
      }
      taken.add(name);

      const classes = nature === 'public' ? 6 + rng.int(10) : 3 + rng.int(9);
      const children = classes * (24 + rng.int(9));
      regionChildren += children;
      const staff: StaffMember[] = [];
      // §7 broken: about one in twelve short of teachers or carers.
      const short = rng.chance(0.08);
      const teachers = 2 * classes - (short && rng.chance(0.7) ? 1 + rng.int(Math.max(1, classes)) : 0);
      const carers = classes - (short && rng.chance(0.6) ? 1 + rng.int(Math.max(1, Math.floor(classes / 2))) : 0);
      // §14 broken: a few with teachers lacking the certificate.
      const unqualifiedTeachers = rng.chance(0.04) ? 1 + rng.int(2) : 0;
      for (let t = 0; t < teachers; t++) staff.push({ role: 'teacher', name: personName(rng), qualification: t < unqualifiedTeachers ? rng.pick(['小学教师资格证', '无']) : '幼儿园教师资格证' });
      for (let c = 0; c < carers; c++) staff.push({ role: 'carer', name: personName(rng), qualification: '保育员证' });
      const headQualified = !rng.chance(0.02);
      const dangerousBuilding = rng.chance(0.01);
      const defenceFails = rng.chance(0.03);
      const civilDefence = !(defenceFails && rng.chance(0.5));
      const physicalDefence = !(defenceFails && civilDefence) && !(defenceFails && rng.chance(0.3));
      const technicalDefence = !(defenceFails && rng.chance(0.5));
      const unsafe = dangerousBuilding || !civilDefence || !physicalDefence || !technicalDefence;
      const rectifyBy = unsafe && rng.chance(0.5) ? `${options.year}-${pad(3 + rng.int(9), 2)}-${pad(1 + rng.int(28), 2)}` : null;

      const monthly = nature === 'public' ? 300 + 50 * rng.int(7) : nature === 'puhui_private' ? 600 + 50 * rng.int(9) : 1200 + 100 * rng.int(20);
      const fees: Fee[] = [{ classType: '全日制', period: 'month', amountYuan: monthly }];
      if (nature === 'private' && rng.chance(0.5)) fees.push({ classType: '寄宿制', period: 'term', amountYuan: monthly * 5 + 2000 + 500 * rng.int(8) });
      if (rng.chance(0.3)) fees.push({ classType: '半日制', period: 'month', amountYuan: Math.round(monthly * 0.6) });
      // §11 broken: about one private kindergarten in sixteen has no account filed.
      const feeAccount = nature === 'public' || rng.chance(0.06) ? null : `6217${pad(rng.int(1e8), 8)}${pad(rng.int(1e7), 7)}`;
      const grade: KindergartenGrade =
        nature === 'public'
          ? rng.pick(['provincial_model', 'city_model', 'class1', 'class1', 'class2'] as const)
          : rng.pick(['city_model', 'class1', 'class2', 'class2', 'class3', 'ungraded'] as const);
      const evaluationYear = options.year - 1 - rng.int(2);
      const inspectionResult = unsafe ? '限期整改' : '合格';
      kindergartens.push({
        id,
        name,
        regionCode: region.code,
        address: `${region.name}${place}${rng.pick(['建设', '人民', '新华', '长江', '湘江', '红旗', '学府', '文化'])}${rng.pick(STREETS)}${1 + rng.int(300)}号`,
        nature,
        openedOn: `${1985 + rng.int(38)}-${pad(1 + rng.int(12), 2)}-01`,
        grade,
        licenceNumber: nature === 'public' ? `株教幼${region.adminCode}${pad(seq, 4)}` : `教民${region.adminCode}7${pad(seq, 8)}号`,
        classes,
        children,
        headName: personName(rng),
        headQualification: headQualified ? '园长任职资格培训合格证' : rng.pick(['幼儿园教师资格证', '无']),
        staff,
        fees,
        feeMonthlyMin: feeMonthlyMin(fees),
        feeAccount,
        dangerousBuilding,
        civilDefence,
        physicalDefence,
        technicalDefence,
        rectifyBy,
        evaluations: [{ date: `${evaluationYear}-06-${pad(1 + rng.int(28), 2)}`, kind: '年度办园行为督导评估', result: rng.pick(['优秀', '良好', '良好', '合格']) }],
        inspections: [{ date: `${options.year - 1}-${pad(9 + rng.int(3), 2)}-${pad(1 + rng.int(28), 2)}`, result: inspectionResult, deadline: unsafe ? rectifyBy : null }],
      });
    }
    // Gross enrolment between about 86% and 102%.
    population.push({ regionCode: region.code, year: options.year, children: Math.round(regionChildren / (0.86 + 0.16 * rng.next())) });
  });

  return {
    kindergartens,
    population,
    accounts: kindergartens.map((k) => ({ username: k.id.toLowerCase(), displayName: k.name, kindergartenId: k.id, regionCode: k.regionCode })),
  };
}
