import type { ApprovalRow } from '../repositories/approval.repository';

/**
 * Four eyes (server/domain/approvals/approvals.ts) as the API shows it: on a
 * round and on a plan change request, and as the 202 answer of a first approval.
 */

/** Approvals of an action that takes `required` different city-bureau accounts. */
export interface ApprovalsView {
  required: number;
  count: number;
  approvedBy: { username: string; displayName: string; at: string }[];
}

/** The approvals of one subject as shown to the bureau. */
export function approvalsView(required: number, rows: readonly ApprovalRow[] = []): ApprovalsView {
  return { required, count: rows.length, approvedBy: rows.map((r) => ({ username: r.username, displayName: r.displayName, at: r.createdAt.toISOString() })) };
}

/** A first approval recorded: 202, the action waits for another city-bureau account. */
export interface AwaitingApproval {
  status: 'awaiting_approval';
  approvals: number;
  required: number;
  approvedBy: ApprovalsView['approvedBy'];
}

