import type { Actor } from './actor';

/** What the policies need to know about a queued job. */
export interface JobRef {
  /** The user whose request enqueued the job; null for system jobs. */
  createdBy: string | null;
}

/** Job progress: the bureau and inspectors see every job; anyone else only the jobs they started. */
export function canReadJob(actor: Actor, job: JobRef): boolean {
  if (actor.role === 'bureau' || actor.role === 'auditor') return true;
  return job.createdBy != null && job.createdBy === actor.id;
}
