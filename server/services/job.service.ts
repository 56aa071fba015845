import type { JobQueues, JobView } from '../../jobs/queues';
import { AppError } from '../errors';
import { authorize, type Actor } from '../policies';

/** A job as sent to clients: without who started it. */
export type PublicJob = Omit<JobView, 'createdBy'>;

function toPublic({ createdBy: _createdBy, ...job }: JobView): PublicJob {
  return job;
}

/** Reading job progress, scoped by the job policy; queuing the manual heartbeat. */
export function createJobService(deps: { queues: Pick<JobQueues, 'find' | 'enqueue'> }) {
  return {
    /** A job the caller may see; NOT_FOUND for one that does not exist or is out of the caller's scope. */
    async read(actor: Actor, queue: string, id: string): Promise<PublicJob> {
      const job = await deps.queues.find(queue, id);
      if (!job) throw new AppError('NOT_FOUND');
      authorize(actor, 'job.read', job);
      return toPublic(job);
    },

    async requestHealthcheck(actor: Actor, props: { requestId?: string } = {}): Promise<PublicJob> {
      authorize(actor, 'system.healthcheck');
      const job = await deps.queues.enqueue('system.healthcheck', { reason: 'manual' }, { createdBy: actor.id, requestId: props.requestId });
      return toPublic(job);
    },
  };
}

export type JobService = ReturnType<typeof createJobService>;
