import type { KindergartenNature } from '../../../server/domain/kindergartens/types';
import type { PreschoolIndicators } from '../../../server/routes/dashboard/dashboard.schema';
import type {
  Filing,
  FilingList,
  FilingStatus,
  KindergartenList,
  KindergartenMe,
  KindergartenPublicRecord,
} from '../../../server/routes/kindergartens/kindergartens.schema';
import { apiRequest } from './client';

/**
 * The kindergarten registry (学前教育管理服务平台, issue 18): the public
 * disclosure (公示, no sign-in), the kindergarten's own record and filings
 * (备案), and the county bureau's review. Shapes follow the API contract
 * shared with the server (server/routes/kindergartens/).
 */

/** 公办 / 普惠性民办 / 非普惠性民办; the city's grades (等级): 省级示范园 … 未定级 (server/domain/kindergartens). */
export type { KindergartenGrade, KindergartenNature } from '../../../server/domain/kindergartens/types';
export type {
  Filing,
  FilingStatus,
  KindergartenMe,
  KindergartenOwnRecord,
  KindergartenPublicRecord,
  KindergartenPublicSummary,
} from '../../../server/routes/kindergartens/kindergartens.schema';
export type { PreschoolIndicators } from '../../../server/routes/dashboard/dashboard.schema';

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

/** One indicator row's shares (0..1, null where there is no data). */
export type PreschoolShares = Pick<PreschoolIndicators['city'], 'puhuiShare' | 'publicShare' | 'grossEnrolmentRate'>;

export const kindergartenApi = {
  list: (query: KindergartenQuery, signal?: AbortSignal) =>
    apiRequest<KindergartenList>('/kindergartens', { query: { ...query }, signal, authenticated: false }),
  record: (id: string) => apiRequest<KindergartenPublicRecord>(`/kindergartens/${encodeURIComponent(id)}`, { authenticated: false }),
  regions: () => apiRequest<Region[]>('/kindergartens/regions', { authenticated: false }),
  me: () => apiRequest<KindergartenMe>('/kindergarten/me'),
  file: (body: { changes: FilingChanges; note?: string }) => apiRequest<Filing>('/kindergarten/filings', { method: 'POST', body }),
  filings: (query: { status?: FilingStatus; region?: string }) =>
    apiRequest<FilingList>('/kindergarten-filings', { query: { ...query } }),
  approve: (id: string, note?: string) =>
    apiRequest<Filing>(`/kindergarten-filings/${encodeURIComponent(id)}/approve`, { method: 'POST', body: note ? { note } : {} }),
  returnFiling: (id: string, note: string) =>
    apiRequest<Filing>(`/kindergarten-filings/${encodeURIComponent(id)}/return`, { method: 'POST', body: { note } }),
};
