import { runRound } from '../../server/services/round.service';
import { defineHandler } from '../handler';

/**
 * Runs one allocation round (server/services/round.service.ts `runRound`).
 * Idempotent: a round already run is skipped; the job id `round-<id>` keeps
 * the same round from being queued twice.
 */
export default defineHandler('round.run', async (payload, ctx) => {
  const outcome = await runRound({ uow: ctx.uow, clock: ctx.clock, progress: ctx.progress }, payload.roundId);
  ctx.logger.info({ roundId: payload.roundId, status: outcome.status, skipped: outcome.skipped, timings: outcome.timings }, 'round run');
  return outcome;
});
