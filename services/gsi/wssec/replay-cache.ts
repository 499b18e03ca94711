/**
 * Remembers the signatures already accepted, for as long as their Timestamp would still be
 * accepted, so that a captured message cannot be sent again. Shared in Redis so that it holds
 * across every container of a grid; in memory for unit tests.
 */

export interface ReplayCache {
  /** Records `key` for `ttlMs`; false when it was already there (a replay). */
  remember(key: string, ttlMs: number): Promise<boolean>;
}

/** The one Redis command the cache needs (ioredis' signature for SET key value PX ms NX). */
export interface ReplayRedis {
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<'OK' | null>;
}

/** SET NX with an expiry: atomic, so two containers racing on one message accept it once. */
export function createRedisReplayCache(redis: ReplayRedis, keyOf: (key: string) => string): ReplayCache {
  return {
    async remember(key, ttlMs) {
      const answer = await redis.set(keyOf(key), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
      return answer === 'OK';
    },
  };
}

/** For unit tests and benchmarks: one process only. */
export function createMemoryReplayCache(now: () => number = Date.now): ReplayCache {
  const until = new Map<string, number>();
  return {
    async remember(key, ttlMs) {
      const time = now();
      for (const [seen, expiry] of until) if (expiry <= time) until.delete(seen);
      if ((until.get(key) ?? 0) > time) return false;
      until.set(key, time + ttlMs);
      return true;
    },
  };
}

/** Accepts everything: for benchmarks that measure verification alone. */
export const NO_REPLAY_CACHE: ReplayCache = { remember: async () => true };
