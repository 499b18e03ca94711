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
  /**
   * Stores `entry` under a free name, or in place of the entry owned by exactly `replacing` (the
   * owner read before); false, and nothing written, when the name is (now) held by anyone else.
   */
  put(username: string, entry: RepositoryEntry, replacing: string | undefined): Promise<boolean>;
  remove(username: string): Promise<boolean>;
  /** Seconds of lock-out left (0: none). */
  lockedFor(username: string, nowMs: number): Promise<number>;
  /** Counts a failure; returns the new count. */
  failed(username: string, lockSeconds: (failures: number) => number, nowMs: number): Promise<number>;
  succeeded(username: string): Promise<void>;
}

const credKey = (username: string) => `weft:myproxy:cred:${username}`;
const failKey = (username: string) => `weft:myproxy:fail:${username}`;

/*
 * KEYS[1] the credential; ARGV[1] the owner it may replace ('': a free name only), ARGV[2] its
 * TTL in seconds, ARGV[3..] field/value pairs.
 */
const PUT_SCRIPT = `
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`;

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
    async put(username, entry, replacing) {
      const ttl = Math.max(1, Math.ceil((Date.parse(entry.notAfter) - Date.now()) / 1000));
      const fields = Object.entries({ ...entry, maxLifetimeHours: String(entry.maxLifetimeHours) }).flat();
      return (await redis.eval(PUT_SCRIPT, 1, credKey(username), replacing ?? '', String(ttl), ...fields)) === 1;
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
