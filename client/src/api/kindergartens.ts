import { apiRequest } from './client';

/**
 * The kindergarten registry (学前教育管理服务平台, issue 18): the public
 * disclosure (公示, no sign-in), the kindergarten's own record and filings
 * (备案), and the county bureau's review. Shapes follow the API contract
 * shared with the server (server/routes/kindergartens/).
 */

/** 公办 / 普惠性民办 / 非普惠性民办 */
export type KindergartenNature = 'public' | 'puhui_private' | 'private';

/** The city's grades (等级): 省级示范园, 市级示范园, 一级园, 二级园, 三级园, 未定级. */
export type KindergartenGrade = 'provincial_model' | 'city_model' | 'class1' | 'class2' | 'class3' | 'ungraded';

export type FeePeriod = 'month' | 'term';
export interface Fee {
  classType: string;
  period: FeePeriod;
  amountYuan: number;
}

export type StaffRole = 'head' | 'teacher' | 'carer';
export interface StaffMember {
  role: StaffRole;
  name: string;
  qualification: string;
  /** Decided by the server from the qualification text; not sent in a filing. */
  qualified?: boolean;
}

export interface KindergartenPublicSummary {
  id: string;
  name: string;
  regionCode: string;
  regionName: string;
  nature: KindergartenNature;
  grade: string;
  address: string;
  classes: number;
  children: number;
  /** The lowest monthly fee in yuan; null when none is published. */
  feeMonthlyMin: number | null;
  updatedAt: string;
}

export interface KindergartenPublicRecord extends KindergartenPublicSummary {
  openedOn: string | null;
  licenceNumber: string | null;
  headName: string | null;
  teacherCount: number;
  carerCount: number;
  fees: Fee[];
  evaluations: { date: string; kind: string; result: string }[];
  inspections: { date: string; result: string; deadline?: string | null }[];
}

/** The kindergarten's own full record: the published one plus staff, safety and the (masked) fee account. */
export interface KindergartenOwnRecord extends KindergartenPublicRecord {
  version?: number;
  staff?: StaffMember[];
  headQualification?: string | null;
  headQualified?: boolean;
  /** Masked, e.g. 6217********1234; null when none is filed. */
  feeAccount?: string | null;
  /** 危房 and 三防 (人防, 物防, 技防 up to standard), with the deadline to fix them. */
  safety?: { dangerousBuilding: boolean; civilDefence: boolean; physicalDefence: boolean; technicalDefence: boolean; rectifyBy: string | null };
}

/** What a filing may change (备案事项). */
export interface FilingChanges {
  headName?: string;
  headQualification?: string;
  staff?: StaffMember[];
  fees?: Fee[];
  classes?: number;
  children?: number;
  address?: string;
  feeAccount?: string;
}
export type FilingField = keyof FilingChanges;

export type FilingStatus = 'pending' | 'approved' | 'returned';

export interface Filing {
  id: string;
  kindergartenId: string;
  kindergartenName: string;
  status: FilingStatus;
  changes: FilingChanges;
  /** The published values of the changed fields, where the server sends them. */
  current?: FilingChanges | null;
  regionCode?: string;
  regionName?: string;
  note: string | null;
  reviewNote: string | null;
  submittedAt: string;
  submittedBy: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
}

/** One of the kindergarten's own flags (rules kindergarten_*), where the server sends them. */
export interface KindergartenFlag {
  id: string;
  rule: string;
  severity?: string;
  status?: string;
  deadline?: string | null;
  facts?: { label: string; value: string }[];
  evidence?: Record<string, unknown>;
}

export interface KindergartenMe {
  record: KindergartenOwnRecord;
  filings: Filing[];
  flags?: KindergartenFlag[];
}

export interface KindergartenQuery {
  region?: string;
  nature?: KindergartenNature;
  grade?: string;
  feeMax?: number;
  q?: string;
  offset?: number;
  limit?: number;
}

export interface Region {
  code: string;
  name: string;
  nameEn?: string;
}

/** 学前教育 indicators of GET /api/dashboard (shares 0..1, null where there is no data). */
export interface PreschoolShares {
  puhuiShare: number | null;
  publicShare: number | null;
  grossEnrolmentRate: number | null;
}
export interface PreschoolIndicators {
  city: PreschoolShares;
  regions: (PreschoolShares & { code: string; name: string; children: number | null; population: number | null })[];
}

export const kindergartenApi = {
  list: (query: KindergartenQuery, signal?: AbortSignal) =>
    apiRequest<{ total: number; items: KindergartenPublicSummary[] }>('/kindergartens', { query: { ...query }, signal, authenticated: false }),
  record: (id: string) => apiRequest<KindergartenPublicRecord>(`/kindergartens/${encodeURIComponent(id)}`, { authenticated: false }),
  regions: () => apiRequest<Region[]>('/kindergartens/regions', { authenticated: false }),
  me: () => apiRequest<KindergartenMe>('/kindergarten/me'),
  file: (body: { changes: FilingChanges; note?: string }) => apiRequest<Filing>('/kindergarten/filings', { method: 'POST', body }),
  filings: (query: { status?: FilingStatus; region?: string }) =>
    apiRequest<{ total: number; items: Filing[] }>('/kindergarten-filings', { query: { ...query } }),
  approve: (id: string, note?: string) =>
    apiRequest<Filing>(`/kindergarten-filings/${encodeURIComponent(id)}/approve`, { method: 'POST', body: note ? { note } : {} }),
  returnFiling: (id: string, note: string) =>
    apiRequest<Filing>(`/kindergarten-filings/${encodeURIComponent(id)}/return`, { method: 'POST', body: { note } }),
};
