import { apiRequest } from './client';
import type { Guidance, StudentRank } from './ranking';
import type { Receipt } from './receipts';

/** The student portal's API (/api/student/*); reasons arrive in the UI's language. */

export interface Reason {
  code: string;
  message: string;
}

export interface SchoolOption {
  id: string;
  name: string;
  batch: number;
  ownership: 'public' | 'private';
  scope: 'city' | 'region';
  quality: boolean;
  region: { code: string; name: string; nameEn: string };
  capacity: number;
  previousCutoff: number | null;
  /** Last year's cutoff as a rank (位次 of the last admitted student); null without a previous year's round. */
  previousCutoffRank?: number | null;
  /** 冲/稳/保 for this student, with the numbers; null without a previous year. */
  guidance?: Guidance | null;
  minScore: number | null;
  minEvaluation: string | null;
  quotaSeats: number;
  seatsLeft: number | null;
  open: { eligible: boolean; reasons: Reason[] };
  quota: { eligible: boolean; reasons: Reason[] };
  canList: boolean;
  refusal: Reason[];
}

export interface BatchOptions {
  batch: number;
  maxChoices: number;
  schools: SchoolOption[];
}

/** The server's step codes (server/domain/applications/next-step.ts NEXT_STEPS; client/src/lib/next-step.test.ts keeps them in step). */
export type NextStep =
  | 'waitForApplications'
  | 'fillChoices'
  | 'reviewChoices'
  | 'missedApplications'
  | 'waitForResult'
  | 'waitForConfirmation'
  | 'confirm'
  | 'confirmed'
  | 'declined'
  | 'waitForSupplementary'
  | 'supplementary'
  | 'waitForSupplementaryResult'
  | 'supplementaryAdmitted'
  | 'supplementaryUnplaced'
  | 'register'
  | 'done';

/** The cycle's rules a student is told about before answering. */
export interface StudentPolicy {
  silenceCountsAsDecline: boolean;
  /** A student who declines a round-1 seat may take part in 补录. */
  declinedMayJoinSupplementary: boolean;
}

export interface StudentOverview {
  student: {
    id: string;
    examNo: string;
    name: string;
    juniorSchool: { id: string; name: string };
    region: { code: string; name: string; nameEn: string };
    scores: Record<string, number | null>;
    total: number;
    evaluation: string;
    quotaEligible: boolean;
  };
  /** 位次 (ties share a rank); null before scores are imported. */
  rank?: StudentRank | null;
  cycle: {
    year: number;
    name: string;
    phase: string;
    phaseName: string;
    phaseClosesAt: string | null;
    /** The deadline of the application the student can act on (补录's during 补录); null when none. */
    applicationDeadline: string | null;
    applicationKind: 'main' | 'supplementary' | null;
    serverTime: string;
  };
  policy: StudentPolicy;
  quotaSeats: { highSchool: { id: string; name: string }; batch: number; seats: number; eligible: boolean; reasons: Reason[] }[];
  batches: BatchOptions[];
  application: { version: number; savedAt: string | null } | null;
  next: NextStep;
}

export type ApplicationKind = 'main' | 'supplementary';
export type Choices = Record<string, string[]>;

export interface StudentApplication {
  kind: ApplicationKind;
  version: number;
  status: string | null;
  choices: Choices;
  savedAt: string | null;
  editable: boolean;
  phase: string;
  deadline: string | null;
  serverTime: string;
  limits: Record<string, number>;
  batches: BatchOptions[];
}

/** One published round's part of the result. */
export interface ResultSection {
  round: { id: string; kind: string; publishedAt: string | null };
  placed: boolean;
  school: { id: string; name: string } | null;
  seat: 'open' | 'quota' | 'reverted' | null;
  batch: number | null;
  explanations: { school: { id: string; name: string }; batch: number; reasons: Reason[] }[];
}

/** The result as the year stands: round 1 (the top-level fields) and 补录 when the student took part. */
export interface StudentResult extends Partial<ResultSection> {
  published: boolean;
  phase: string;
  next: NextStep;
  policy: StudentPolicy;
  total?: number;
  confirmation?: { decision: 'confirmed' | 'declined'; at: string } | null;
  /** The round-1 seat: held, or given up (declined, or silent where silence declines); null when unplaced. */
  seatStatus?: 'held' | 'givenUp' | null;
  canConfirm?: boolean;
  confirmationDeadline?: string | null;
  supplementary?: ResultSection | null;
  holds?: { school: { id: string; name: string }; round: 'main' | 'supplementary' } | null;
  mayJoinSupplementary?: boolean;
}

export interface HistoryEntry {
  version: number;
  choices: Choices;
  savedAt: string;
  byMe: boolean;
}

export const fetchOverview = () => apiRequest<StudentOverview>('/student/overview');
export const fetchApplication = (kind: ApplicationKind) => apiRequest<StudentApplication>('/student/application', { query: { kind } });
export const saveApplication = (body: { kind: ApplicationKind; baseVersion: number; choices: Choices }) =>
  apiRequest<{ kind: ApplicationKind; version: number; choices: Choices; savedAt: string; receipt: Receipt }>('/student/application', { method: 'PUT', body });
/** `receipt`: the signed receipt (回执) of the newest version, null before the first save. */
export const fetchHistory = (kind: ApplicationKind) =>
  apiRequest<{ kind: ApplicationKind; versions: HistoryEntry[]; schools: Record<string, string>; receipt: Receipt | null }>('/student/application/history', { query: { kind } });
export const fetchResult = () => apiRequest<StudentResult>('/student/result');
/** 报到确认, through the rounds area (POST /api/rounds/:id/confirmations). */
export const sendConfirmation = (props: { roundId: string; decision: 'confirmed' | 'declined' }) =>
  apiRequest<{ decision: string; at: string }>(`/rounds/${encodeURIComponent(props.roundId)}/confirmations`, { method: 'POST', body: { decision: props.decision } });
