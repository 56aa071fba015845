import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';

/**
 * rate-limit-redis loads its two Lua scripts once, when the limiter starts,
 * and keeps that promise: if Redis was down at that moment, every later count
 * fails with the same rejection and the limit stays off (passOnStoreError)
 * until the process restarts. This store loads the scripts again after a
 * failed count, so the limit comes back with Redis (test/faults/).
 */
class ReloadingRedisStore extends RedisStore {
  override async increment(key: string) {
    try {
      return await super.increment(key);
    } catch (error) {
      this.reloadScripts();
      throw error;
    }
  }

  override async get(key: string) {
    try {
      return await super.get(key);
    } catch (error) {
      this.reloadScripts();
      throw error;
    }
  }

  private reloadScripts(): void {
    this.incrementScriptSha = this.loadIncrementScript();
    this.getScriptSha = this.loadGetScript();
    // Awaited at the next count; a failure now is not an unhandled rejection.
    this.incrementScriptSha.catch(() => undefined);
    this.getScriptSha.catch(() => undefined);
  }
}

/** The Redis store of a rate limiter, shared by every API replica, under `prefix`. */
export function rateLimitStore(redis: Redis, prefix: string): RedisStore {
  return new ReloadingRedisStore({
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
    prefix,
  });
}
