import { isCityBureau, type Actor } from './actor';

/** What the policies need to know about a queued job. */
export interface JobRef {
  /** The user whose request enqueued the job; null for system jobs. */
  createdBy: string | null;
}

/**
 * Job progress and results: the city bureau and inspectors see every job;
 * anyone else, a county bureau included, only the jobs they started (an
 * import job's result names rows of the whole city).
 */
export function canReadJob(actor: Actor, job: JobRef): boolean {
  if (isCityBureau(actor) || actor.role === 'auditor') return true;
  return job.createdBy != null && job.createdBy === actor.id;
}
