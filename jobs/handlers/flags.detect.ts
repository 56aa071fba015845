import { createFlagService } from '../../server/services/flag.service';
import { defineHandler } from '../handler';

/**
 * Runs the irregularity rules over one cycle and upserts the flags by dedupe
 * key. Idempotent: a retry or a second run leaves the same flags, and reviewed
 * flags keep their decision.
 */
export default defineHandler('flags.detect', async (payload, ctx) => {
  await ctx.progress(5);
  const result = await createFlagService({ uow: ctx.uow, clock: ctx.clock }).detect(payload.cycleId);
  await ctx.progress(100);
  ctx.logger.info({ cycleId: payload.cycleId, reason: payload.reason, detected: result.detected, created: result.created }, 'flags detected');
  return result;
});
