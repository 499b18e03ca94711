/**
 * Redis layout of the repository: `weft:myproxy:cred:<user>` a hash (owner DN, expiry, maximum
 * lifetime, the sealed credential, and `renewer` for a renewable one), expiring with the
 * credential; `weft:myproxy:fail:<user>` a hash of failure count and lock-out end, kept a day
 * after the last failure.
 */
import type { RedisClient } from '../common/redis.ts';
import type { SealedCredential } from './vault.ts';

export interface RepositoryEntry extends SealedCredential {
  readonly owner: string;
  readonly notAfter: string;
  readonly maxLifetimeHours: number;
  /**
   * Globus DN allowed to renew from it (myproxy-init -R); such an entry is sealed with the grid
   * services' secret, not a pass phrase (salt empty, `data` the sealed text of secret.ts).
   */
  readonly renewer?: string;
}

export interface RepositoryStore {
  get(username: string): Promise<RepositoryEntry | undefined>;
  put(username: string, entry: RepositoryEntry): Promise<void>;
  remove(username: string): Promise<boolean>;
  /** Seconds of lock-out left (0: none). */
  lockedFor(username: string, nowMs: number): Promise<number>;
  /** Counts a failure; returns the new count. */
  failed(username: string, lockSeconds: (failures: number) => number, nowMs: number): Promise<number>;
  succeeded(username: string): Promise<void>;
}

const credKey = (username: string) => `weft:myproxy:cred:${username}`;
const failKey = (username: string) => `weft:myproxy:fail:${username}`;

export function createRedisRepositoryStore(redis: RedisClient): RepositoryStore {
  return {
    async get(username) {
      const raw = await redis.hgetall(credKey(username));
      if (!raw.owner || !raw.data) return undefined;
      return {
        owner: raw.owner,
        notAfter: raw.notAfter ?? '',
        maxLifetimeHours: Number(raw.maxLifetimeHours),
        salt: raw.salt ?? '',
        iv: raw.iv ?? '',
        tag: raw.tag ?? '',
        data: raw.data,
        ...(raw.renewer ? { renewer: raw.renewer } : {}),
      };
    },
    async put(username, entry) {
      const ttl = Math.max(1, Math.ceil((Date.parse(entry.notAfter) - Date.now()) / 1000));
      await redis
        .multi()
        .del(credKey(username))
        .hset(credKey(username), { ...entry, maxLifetimeHours: String(entry.maxLifetimeHours) })
        .expire(credKey(username), ttl)
        .exec();
    },
    async remove(username) {
      return (await redis.del(credKey(username))) > 0;
    },
    async lockedFor(username, nowMs) {
      const until = Number(await redis.hget(failKey(username), 'lockedUntil'));
      return Number.isFinite(until) && until > nowMs ? Math.ceil((until - nowMs) / 1000) : 0;
    },
    async failed(username, lockSeconds, nowMs) {
      const failures = await redis.hincrby(failKey(username), 'count', 1);
      const lock = lockSeconds(failures);
      if (lock > 0) await redis.hset(failKey(username), 'lockedUntil', String(nowMs + lock * 1000));
      await redis.expire(failKey(username), 86_400);
      return failures;
    },
    async succeeded(username) {
      await redis.del(failKey(username));
    },
  };
}
