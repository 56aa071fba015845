/**
 * The kindergarten registry (学前教育管理服务平台, issue 18) as plain data: the
 * record a kindergarten files and the county bureau publishes (公示), and the
 * facts the rules of the city's preschool plan read. No I/O here.
 */

/** 办园性质: 公办 / 普惠性民办 / 非普惠性民办. */
export const KINDERGARTEN_NATURES = ['public', 'puhui_private', 'private'] as const;
export type KindergartenNature = (typeof KINDERGARTEN_NATURES)[number];

export const NATURE_NAMES: Readonly<Record<KindergartenNature, { zh: string; en: string }>> = {
  public: { zh: '公办', en: 'Public' },
  puhui_private: { zh: '普惠性民办', en: 'Private, inclusive (普惠)' },
  private: { zh: '非普惠性民办', en: 'Private, non-inclusive' },
};

/** The city's grades of kindergartens (等级). */
export const KINDERGARTEN_GRADES = ['provincial_model', 'city_model', 'class1', 'class2', 'class3', 'ungraded'] as const;
export type KindergartenGrade = (typeof KINDERGARTEN_GRADES)[number];

export const GRADE_NAMES: Readonly<Record<KindergartenGrade, { zh: string; en: string }>> = {
  provincial_model: { zh: '省级示范园', en: 'Provincial model' },
  city_model: { zh: '市级示范园', en: 'City model' },
  class1: { zh: '一级园', en: 'Class 1' },
  class2: { zh: '二级园', en: 'Class 2' },
  class3: { zh: '三级园', en: 'Class 3' },
  ungraded: { zh: '未定级', en: 'Ungraded' },
};

export type StaffRole = 'head' | 'teacher' | 'carer';

/** A full-time teacher (专任教师) or carer (保育员) as filed. */
export interface StaffMember {
  role: 'teacher' | 'carer';
  name: string;
  qualification: string;
}

export interface Fee {
  classType: string;
  period: 'month' | 'term';
  amountYuan: number;
}

export interface Evaluation {
  date: string;
  kind: string;
  result: string;
}

export interface Inspection {
  date: string;
  result: string;
  deadline?: string | null;
}

/** What the rules read of one kindergarten. */
export interface KindergartenFacts {
  id: string;
  name: string;
  regionCode: string;
  regionName: string;
  nature: KindergartenNature;
  classes: number;
  children: number;
  headName: string;
  headQualification: string;
  staff: readonly StaffMember[];
  feeAccount: string | null;
  /** 危房. */
  dangerousBuilding: boolean;
  /** 三防: 人防, 物防, 技防 up to standard. */
  civilDefence: boolean;
  physicalDefence: boolean;
  technicalDefence: boolean;
  /** The deadline already set to fix safety problems (YYYY-MM-DD), if any. */
  rectifyBy: string | null;
}

/** A public school whose name a private kindergarten must not borrow (§15). */
export interface PublicSchoolName {
  name: string;
  regionCode: string;
}

/** Everything the four rules read. */
export interface RegistryFacts {
  /** Today (YYYY-MM-DD): deadlines count from it. */
  asOf: string;
  kindergartens: readonly KindergartenFacts[];
  /** Public kindergartens and public schools of the city. */
  publicSchools: readonly PublicSchoolName[];
  /** Region names, to strip from names before comparing them (株洲市, 芦淞区…). */
  placeNames: readonly string[];
}

export const KINDERGARTEN_FLAG_RULES = ['kindergarten_name', 'kindergarten_staffing', 'kindergarten_safety', 'kindergarten_fee_account'] as const;
export type KindergartenFlagRule = (typeof KINDERGARTEN_FLAG_RULES)[number];

/** A flag about one kindergarten; the same shape as the flags module's DetectedFlag. */
export interface KindergartenFlag {
  rule: KindergartenFlagRule;
  severity: 'low' | 'medium' | 'high' | 'critical';
  highSchoolIds: string[];
  studentIds: string[];
  regionCodes: string[];
  evidence: Record<string, unknown>;
  dedupeKey: string;
}

/** A kindergarten's filed record, as an import row or the demo generator gives it. */
export interface KindergartenFields {
  id: string;
  name: string;
  regionCode: string;
  address: string;
  nature: KindergartenNature;
  openedOn: string | null;
  grade: KindergartenGrade;
  licenceNumber: string;
  classes: number;
  children: number;
  headName: string;
  headQualification: string;
  staff: StaffMember[];
  fees: Fee[];
  feeMonthlyMin: number | null;
  feeAccount: string | null;
  dangerousBuilding: boolean;
  civilDefence: boolean;
  physicalDefence: boolean;
  technicalDefence: boolean;
  rectifyBy: string | null;
  evaluations: Evaluation[];
  inspections: Inspection[];
}
