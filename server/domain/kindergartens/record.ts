import type { Fee, StaffMember, StaffRole } from './types';

/** Months a term's fee is spread over when comparing fees (a semester of about five months). */
export const MONTHS_PER_TERM = 5;

/**
 * Whether a qualification text meets the post's requirement: a head needs the
 * 园长任职资格 (training certificate), a teacher the 幼儿园教师资格证, a carer
 * the 保育员证. Text as filed; matching on the certificate's name.
 */
export function isQualified(role: StaffRole, qualification: string): boolean {
  const q = (qualification ?? '').normalize('NFKC').toLowerCase();
  switch (role) {
    case 'head':
      return (q.includes('园长') && (q.includes('资格') || q.includes('合格'))) || q.includes('head certificate');
    case 'teacher':
      return q.includes('幼儿园教师资格') || q.includes('kindergarten teacher certificate');
    case 'carer':
      return q.includes('保育员') || q.includes('carer certificate');
  }
}

/** The lowest fee per month (a term spread over MONTHS_PER_TERM), rounded up; null without fees. */
export function feeMonthlyMin(fees: readonly Fee[]): number | null {
  if (fees.length === 0) return null;
  return Math.min(...fees.map((f) => Math.ceil(f.period === 'term' ? f.amountYuan / MONTHS_PER_TERM : f.amountYuan)));
}

/** A bank account shown masked: the first 4 and last 4 digits. */
export function maskAccount(account: string | null | undefined): string | null {
  if (!account) return null;
  if (account.length <= 8) return `${account.slice(0, 2)}****`;
  return `${account.slice(0, 4)}${'*'.repeat(account.length - 8)}${account.slice(-4)}`;
}

export function countStaff(staff: readonly StaffMember[]): { teachers: number; carers: number } {
  let teachers = 0;
  let carers = 0;
  for (const s of staff) {
    if (s.role === 'teacher') teachers++;
    else if (s.role === 'carer') carers++;
  }
  return { teachers, carers };
}

/** What a filing may change (备案 of head, teachers, fees, classes, address, fee account). */
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

export const FILING_FIELDS = ['headName', 'headQualification', 'staff', 'fees', 'classes', 'children', 'address', 'feeAccount'] as const;

/** The record fields a filing changes, with feeMonthlyMin kept in step with the fees. */
export function applyFiling<R extends { fees: unknown }>(record: R, changes: FilingChanges): R & { feeMonthlyMin?: number | null } {
  const next: Record<string, unknown> = { ...record };
  for (const field of FILING_FIELDS) if (changes[field] !== undefined) next[field] = changes[field];
  if (changes.fees !== undefined) next.feeMonthlyMin = feeMonthlyMin(changes.fees);
  return next as R & { feeMonthlyMin?: number | null };
}
