import type {
  ApplicationHistory,
  ApplicationKind,
  Choices,
  SavedApplication,
  StudentApplication,
  StudentOverview,
  StudentResult as StudentResultBody,
} from '../../../server/routes/student/student.schema';
import type { ConfirmationSaved } from '../../../server/routes/rounds/rounds.schema';
import { apiRequest } from './client';

/**
 * The student portal's API (/api/student/*); reasons arrive in the UI's
 * language. The types are the contract's (server/routes/student/student.schema.ts).
 */
export type {
  ApplicationHistory,
  ApplicationKind,
  BatchOptions,
  Choices,
  HistoryEntry,
  NextStep,
  Reason,
  ResultSection,
  SchoolOption,
  StudentApplication,
  StudentOverview,
  StudentPolicy,
} from '../../../server/routes/student/student.schema';

type PublishedResult = Extract<StudentResultBody, { published: true }>;
/**
 * GET /api/student/result as the pages read it: the contract's two shapes
 * (before and after publication, StudentResultBody) in one, the published
 * one's fields absent before publication.
 */
export type StudentResult = Pick<PublishedResult, 'phase' | 'next' | 'policy'> &
  Partial<Omit<PublishedResult, 'published' | 'phase' | 'next' | 'policy'>> & { published: boolean };

export const fetchOverview = () => apiRequest<StudentOverview>('/student/overview');
export const fetchApplication = (kind: ApplicationKind) => apiRequest<StudentApplication>('/student/application', { query: { kind } });
export const saveApplication = (body: { kind: ApplicationKind; baseVersion: number; choices: Choices }) =>
  apiRequest<SavedApplication>('/student/application', { method: 'PUT', body });
/** `receipt`: the signed receipt (回执) of the newest version, null before the first save. */
export const fetchHistory = (kind: ApplicationKind) =>
  apiRequest<ApplicationHistory>('/student/application/history', { query: { kind } });
export const fetchResult = (): Promise<StudentResult> => apiRequest<StudentResultBody>('/student/result');
/** 报到确认, through the rounds area (POST /api/rounds/:id/confirmations). */
export const sendConfirmation = (props: { roundId: string; decision: 'confirmed' | 'declined' }) =>
  apiRequest<ConfirmationSaved>(`/rounds/${encodeURIComponent(props.roundId)}/confirmations`, { method: 'POST', body: { decision: props.decision } });
