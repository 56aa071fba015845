import { DEFAULT_SIGN_IN_THROTTLE } from '../../server/domain/auth/auth.rules';
import { defineHandler } from '../handler';

/** Redis key holding the time a worker last ran `system.healthcheck`. */
export function heartbeatKey(prefix: string): string {
  return `${prefix}:system:heartbeat`;
}

/**
 * Writes the current time as the worker heartbeat, and logs the head of the
 * audit chain (its last seq and hash): every minute, a record of the head
 * leaves the database for the log store, so entries cut off the end of the
 * chain (which leaves a valid, shorter chain) show against it. Also prunes
 * failed sign-in counts old enough to be forgotten (auth.rules.ts). Idempotent:
 * running it twice only moves the time forward.
 */
export default defineHandler('system.healthcheck', async (payload, ctx) => {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const prunedSignInFailures = await ctx.uow.repos.signInFailures.pruneOlderThan(new Date(now.getTime() - DEFAULT_SIGN_IN_THROTTLE.forgetAfterMs));
  await ctx.redis.set(heartbeatKey(ctx.keyPrefix), at);
  const head = await ctx.uow.repos.auditLog.chainHead();
  const auditHead = head ? { seq: head.seq.toString(), hash: head.hash } : null;
  await ctx.progress(100);
  ctx.logger.info({ reason: payload.reason, at, auditHead, prunedSignInFailures }, 'heartbeat written; audit chain head');
  return { at, reason: payload.reason, auditHead };
});
