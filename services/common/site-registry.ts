/**
 * Sites publish themselves into Redis as soft state: a hash that expires unless refreshed.
 * Brokers read the live ones and reserve slots on them atomically, so several brokers running at
 * once never over-commit a site. (The LDAP index of a later issue reads the same records.)
 */
import type { RedisClient } from './redis.ts';
import { SITES_SET, siteKey, siteReservationsKey } from './redis-keys.ts';

export interface SiteRecord {
  readonly name: string;
  /** Where the site's agent runs, for people reading status output. */
  readonly contact: string;
  /** Local resource manager: `fork` or `slurm`. */
  readonly lrms: string;
  readonly totalSlots: number;
  /** ISO time of the last refresh. */
  readonly updatedAt: string;
  readonly ttlSeconds: number;
}

/** A live site with the slots brokers have reserved on it right now. */
export interface SiteLoad extends SiteRecord {
  readonly reservedSlots: number;
}

export interface SiteRegistry {
  /** Publishes (or refreshes) a site; it disappears `ttlSeconds` after the last call. */
  publish(record: SiteRecord): Promise<void>;
  /** Every site whose record has not expired, with its current reservations. */
  listLive(): Promise<SiteLoad[]>;
  /** Reserves `slots` on `site` for `jobId`. False when the site is gone or too full. */
  reserve(site: string, jobId: string, slots: number): Promise<boolean>;
  /** Gives a job's slots back; harmless when none were held. */
  release(site: string, jobId: string): Promise<void>;
}

/*
 * KEYS[1] site hash, KEYS[2] reservations hash; ARGV[1] job id, ARGV[2] slots.
 * Returns 1 reserved (or already held), 0 full, -1 site gone.
 */
const RESERVE_SCRIPT = `
local total = redis.call('HGET', KEYS[1], 'totalSlots')
if not total then return -1 end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 1 end
local used = 0
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do used = used + tonumber(v) end
if used + tonumber(ARGV[2]) > tonumber(total) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`;

function sumValues(values: string[]): number {
  return values.reduce((sum, value) => sum + Number(value), 0);
}

export function createRedisSiteRegistry(redis: RedisClient): SiteRegistry {
  return {
    async publish(record) {
      await redis
        .multi()
        .hset(siteKey(record.name), {
          name: record.name,
          contact: record.contact,
          lrms: record.lrms,
          totalSlots: String(record.totalSlots),
          updatedAt: record.updatedAt,
          ttlSeconds: String(record.ttlSeconds),
        })
        .expire(siteKey(record.name), record.ttlSeconds)
        .sadd(SITES_SET, record.name)
        .exec();
    },

    async listLive() {
      const names = await redis.smembers(SITES_SET);
      if (names.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const name of names) {
        pipeline.hgetall(siteKey(name));
        pipeline.hvals(siteReservationsKey(name));
      }
      const replies = (await pipeline.exec()) ?? [];
      const live: SiteLoad[] = [];
      names.forEach((name, index) => {
        const fields = replies[index * 2]?.[1] as Record<string, string> | undefined;
        const reserved = (replies[index * 2 + 1]?.[1] as string[] | undefined) ?? [];
        if (!fields || fields.totalSlots === undefined) return; // expired: soft state ran out
        live.push({
          name,
          contact: fields.contact ?? '',
          lrms: fields.lrms ?? '',
          totalSlots: Number(fields.totalSlots),
          updatedAt: fields.updatedAt ?? '',
          ttlSeconds: Number(fields.ttlSeconds),
          reservedSlots: sumValues(reserved),
        });
      });
      return live;
    },

    async reserve(site, jobId, slots) {
      const result = await redis.eval(
        RESERVE_SCRIPT,
        2,
        siteKey(site),
        siteReservationsKey(site),
        jobId,
        String(slots),
      );
      return result === 1;
    },

    async release(site, jobId) {
      await redis.hdel(siteReservationsKey(site), jobId);
    },
  };
}
