/**
 * The exam's subjects (中考科目) and the plain facts every record of a city refers to
 * (grades, ownership, scope, batches, roles). The demo generator re-exports them.
 */
/** 综合素质评价 grade. */
export type Evaluation = 'A' | 'B' | 'C' | 'D';
export type Gender = 'male' | 'female';
export type Ownership = 'public' | 'private';
/** `region`: 属地招生, only students of the school's own region. */
export type Scope = 'city' | 'region';
export type Batch = 1 | 2 | 3;
export type Role = 'student' | 'junior' | 'high' | 'bureau' | 'auditor';
export type SubjectKey = 'chinese' | 'math' | 'english' | 'physics' | 'chemistry' | 'politics' | 'history' | 'pe';

export interface Subject {
  key: SubjectKey;
  name: string;
  nameEn: string;
  max: number;
  /** Whether half points (87.5) occur. */
  halfPoints: boolean;
}

/** The exam subjects (中考科目) and their full marks; the total's maximum is 820. */
export const SUBJECTS: readonly Subject[] = [
  { key: 'chinese', name: '语文', nameEn: 'Chinese', max: 120, halfPoints: true },
  { key: 'math', name: '数学', nameEn: 'Mathematics', max: 120, halfPoints: false },
  { key: 'english', name: '英语', nameEn: 'English', max: 120, halfPoints: true },
  { key: 'physics', name: '物理', nameEn: 'Physics', max: 100, halfPoints: false },
  { key: 'chemistry', name: '化学', nameEn: 'Chemistry', max: 100, halfPoints: false },
  { key: 'politics', name: '道德与法治', nameEn: 'Morality and Law', max: 100, halfPoints: false },
  { key: 'history', name: '历史', nameEn: 'History', max: 100, halfPoints: false },
  { key: 'pe', name: '体育', nameEn: 'Physical Education', max: 60, halfPoints: true },
];
