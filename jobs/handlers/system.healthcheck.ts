import { defineHandler } from '../handler';

/** Redis key holding the time a worker last ran `system.healthcheck`. */
export function heartbeatKey(prefix: string): string {
  return `${prefix}:system:heartbeat`;
}

/**
 * Writes the current time as the worker heartbeat. Idempotent: running it
 * twice only moves the time forward.
 */
export default defineHandler('system.healthcheck', async (payload, ctx) => {
  const at = ctx.clock.now().toISOString();
  await ctx.redis.set(heartbeatKey(ctx.keyPrefix), at);
  await ctx.progress(100);
  ctx.logger.debug({ reason: payload.reason, at }, 'heartbeat written');
  return { at, reason: payload.reason };
});
